package com.acme.parallel;

import dev.jchaos.junit.DetectThreadLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Runs alone while the rest of the suite runs in parallel: only its own thread is reported. */
@Isolated
@DetectThreadLeaks(lingerMs = 300)
class IsolatedLeakTest {

    @Test
    void leaks() {
        new Thread(Neighbours::sleepForever, "isolated-leak").start();
    }
}
