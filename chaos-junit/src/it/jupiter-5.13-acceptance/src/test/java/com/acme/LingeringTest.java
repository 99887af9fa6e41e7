package com.acme;

import dev.jchaos.junit.DetectThreadLeaks;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A thread still finishing when the test ends, done within lingerMs: not a leak. */
@DetectThreadLeaks(lingerMs = 10_000)
class LingeringTest {

    @Test
    void leavesAThreadThatFinishesSoon() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        new Thread(() -> {
            running.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "finishing-soon").start();
        running.await();
    }
}
