package com.acme;

import dev.jchaos.junit.DetectThreadLeaks;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Three identical parked threads and one sleeping one, no delay points: two groups. */
@DetectThreadLeaks(lingerMs = 200)
class PlainGroupedLeakTest {

    @Test
    void leaks() {
        for (int i = 1; i <= 3; i++) {
            startParker("pricing-" + i);
        }
        new Thread(PlainGroupedLeakTest::sleepForever, "audit-flusher").start();
    }

    private static void startParker(String name) {
        new Thread(PlainGroupedLeakTest::parkForever, name).start();
    }

    private static void parkForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
