package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import org.junit.jupiter.api.Test;

/** target = "fqcn#method" weaves a method no annotation declares, for that test only. */
@ChaosTest
class TargetTest {

    @Test
    @InjectDelay(target = "com.acme.PlainClient#call", ms = 400)
    void delaysAnUnannotatedMethod() {
        long t0 = System.nanoTime();
        assertEquals("hi", new PlainClient().call("hi"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 400);
    }

    @Test
    void leavesItAloneElsewhere() {
        long t0 = System.nanoTime();
        assertEquals("hi", new PlainClient().call("hi"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 300);
    }
}
