package com.acme;

import dev.jchaos.junit.DetectRaces;
import org.junit.jupiter.api.Test;

/** Racy but rare: an append and a count 15 ms apart never overlap in a plain run. */
@DetectRaces
class RareNearMissTest {

    @Test
    void countFifteenMillisecondsAfterAppend() throws Exception {
        EventLog log = new EventLog();
        Thread counter = new Thread(() -> {
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                return;
            }
            log.count();
        }, "counter");
        Thread appender = new Thread(() -> log.append("started"), "appender");
        counter.start();
        appender.start();
        appender.join();
        counter.join();
    }
}
