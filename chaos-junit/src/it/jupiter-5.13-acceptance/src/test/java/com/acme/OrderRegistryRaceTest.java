package com.acme;

import dev.jchaos.junit.DetectRaces;
import org.junit.jupiter.api.Test;

/** Racy: a reporter iterates the in-flight orders while requests write them. */
@DetectRaces
class OrderRegistryRaceTest {

    @Test
    void reporterSumsWhileRequestsWrite() throws Exception {
        OrderRegistry registry = new OrderRegistry();
        for (long order = 0; order < 200; order++) {
            registry.start(order, 10);
        }
        Thread requests = new Thread(() -> {
            for (long order = 200; order < 1_200; order++) {
                registry.start(order, 10);
                registry.finish(order - 200);
            }
        }, "requests");
        Thread reporter = new Thread(() -> {
            for (int round = 0; round < 30; round++) {
                registry.exposure();
            }
        }, "reporter");
        requests.start();
        reporter.start();
        requests.join();
        reporter.join();
    }
}
