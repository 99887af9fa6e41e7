package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jchaos.junit.DetectRaces;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Shared collections done right: never reported. */
@DetectRaces
class CleanRaceTest {

    private static void twice(Runnable work) throws InterruptedException {
        Thread first = new Thread(work, "worker-1");
        Thread second = new Thread(work, "worker-2");
        first.start();
        second.start();
        first.join();
        second.join();
    }

    @Test
    void lockedTally() throws Exception {
        LockedTally tally = new LockedTally();
        twice(() -> {
            for (int i = 0; i < 2_000; i++) {
                tally.add("k" + (i % 50));
            }
        });
        assertEquals(4_000, tally.total());
    }

    @Test
    void concurrentHashMap() throws Exception {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        twice(() -> {
            for (int i = 0; i < 2_000; i++) {
                counts.merge("k" + (i % 50), 1, Integer::sum);
            }
        });
        assertEquals(50, counts.size());
    }

    @Test
    void synchronizedMap() throws Exception {
        Map<String, Integer> counts = Collections.synchronizedMap(new HashMap<>());
        twice(() -> {
            for (int i = 0; i < 2_000; i++) {
                counts.merge("k" + (i % 50), 1, Integer::sum);
            }
        });
        assertEquals(50, counts.size());
    }

    @Test
    void handOffAfterJoin() throws Exception {
        List<Integer> results = new ArrayList<>();
        Thread worker = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                results.add(i);
            }
        }, "worker");
        worker.start();
        worker.join();
        assertEquals(100, results.size());
    }
}
