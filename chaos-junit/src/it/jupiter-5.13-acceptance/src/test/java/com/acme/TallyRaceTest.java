package com.acme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchaos.junit.DetectRaces;
import org.junit.jupiter.api.Test;

/** Racy: two threads add to one Tally, whose HashMap is not thread-safe. */
@DetectRaces
class TallyRaceTest {

    @Test
    void twoAddersShareOneTally() throws Exception {
        Tally tally = new Tally();
        Runnable adder = () -> {
            for (int i = 0; i < 2_000; i++) {
                tally.add("k" + (i % 50));
            }
        };
        Thread first = new Thread(adder, "adder-1");
        Thread second = new Thread(adder, "adder-2");
        first.start();
        second.start();
        first.join();
        second.join();
        assertTrue(tally.total() <= 4_000);
    }
}
