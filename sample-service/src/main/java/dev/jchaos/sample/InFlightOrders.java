package dev.jchaos.sample;

import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * RACE EXHIBIT - a bug kept on purpose; do not fix it. The orders being placed right now, kept in a plain
 * {@link HashMap} that the request threads write while a reporter thread iterates it to publish how many are in
 * flight: the post-mortem's bug class (a map shared by threads, iterated while written). The reporter swallows the
 * {@link ConcurrentModificationException} it sometimes gets, as the original did, so normal runs show nothing at
 * all. jchaos's race watching finds it: {@code InFlightOrdersRaceTest} ({@code @DetectRaces}) and
 * {@code experiment --races} ({@code jchaos.races}).
 */
final class InFlightOrders implements AutoCloseable {

    /** The bug: a map that is not thread-safe, shared by the request threads and the reporter. */
    private final Map<String, String> placing = new HashMap<>();
    private final Thread reporter;
    private volatile int lastCount;

    InFlightOrders() {
        reporter = new Thread(this::report, "inflight-reporter");
        reporter.setDaemon(true);
        reporter.start();
    }

    void begin(String orderId, String sku) {
        placing.put(orderId, sku);
    }

    void end(String orderId) {
        placing.remove(orderId);
    }

    /** Orders in flight, as the reporter last counted them. */
    int count() {
        return lastCount;
    }

    private void report() {
        while (!Thread.currentThread().isInterrupted()) {
            int n = 0;
            try {
                for (String sku : placing.values()) {
                    n += sku.isEmpty() ? 0 : 1;
                }
            } catch (ConcurrentModificationException swallowed) {
                continue; // as the original: try again, tell no one
            }
            lastCount = n;
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        reporter.interrupt();
        try {
            reporter.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
