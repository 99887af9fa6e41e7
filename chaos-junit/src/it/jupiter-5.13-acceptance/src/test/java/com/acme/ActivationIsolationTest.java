package com.acme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import org.junit.jupiter.api.Test;

/** A class-level delay applies to each test; a method-level one to its own test only. */
@ChaosTest
@InjectDelay(value = "checkout.load", ms = 150)
class ActivationIsolationTest {

    private static long millis(Runnable action) {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    @InjectDelay(value = "checkout.receipt", ms = 400)
    void receiptIsSlowHere() {
        Checkout checkout = new Checkout();
        assertTrue(millis(checkout::load) >= 150);
        assertTrue(millis(checkout::receipt) >= 400);
    }

    @Test
    void receiptIsFastHere() {
        Checkout checkout = new Checkout();
        assertTrue(millis(checkout::load) >= 150);
        assertTrue(millis(checkout::receipt) < 300);
    }
}
