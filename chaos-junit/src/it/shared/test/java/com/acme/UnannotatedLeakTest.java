package com.acme;

import org.junit.jupiter.api.Test;

/** No jchaos annotation: leak-checked only where the project turns detection on for its whole suite. */
class UnannotatedLeakTest {

    @Test
    void leaksWithoutAnyAnnotation() {
        new Thread(UnannotatedLeakTest::parkForever, "unannotated-leak").start();
    }

    private static void parkForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }
}
