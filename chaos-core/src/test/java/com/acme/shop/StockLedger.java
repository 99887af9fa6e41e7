package com.acme.shop;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's racy class and the user's own code that watches it through {@link Races}, in one code source, as a test
 * beside the code it checks would be: the caller's classes must be watched like any others.
 */
public final class StockLedger {

    private final Map<String, Integer> stock = new HashMap<>();

    void receive(String sku) {
        stock.merge(sku, 1, Integer::sum);
    }

    /** Two threads receive into one ledger; the TSVD loop of up to three runs, as a user would write it. */
    public static List<RaceViolation> watchTwoReceivers() throws InterruptedException {
        List<String> holdAt = List.of();
        for (int run = 1; run <= 3; run++) {
            Races.Session session = Chaos.races().watch(List.of("com.acme.shop.*"), Duration.ofMillis(100), holdAt,
                    run);
            RaceReport report;
            try {
                StockLedger ledger = new StockLedger();
                List<Thread> threads = new ArrayList<>();
                for (String name : List.of("receiver-1", "receiver-2")) {
                    Thread t = new Thread(() -> {
                        for (int i = 0; i < 2_000; i++) {
                            ledger.receive("sku-" + (i % 20));
                        }
                    }, name);
                    threads.add(t);
                    t.start();
                }
                for (Thread t : threads) {
                    t.join();
                }
            } finally {
                report = session.stop();
            }
            if (!report.violations().isEmpty() || report.suspects().isEmpty()) {
                return report.violations();
            }
            holdAt = report.suspects();
        }
        return List.of();
    }
}
