package dev.jchaos.junit.demo;

import dev.jchaos.annotations.InjectDelay;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service with a classic bug: when pricing misses its deadline, it starts a background refresher and never stops
 * it. Only a slow {@link #price()} leaks; the other three points just make the call slower.
 */
public final class QuoteService implements AutoCloseable {

    /** Pricing's deadline. */
    public static final long TIMEOUT_MS = 200;

    private final ExecutorService pricing = Executors.newSingleThreadExecutor(r -> new Thread(r, "pricing-worker"));

    /** Quotes a price, falling back to a cached one (and leaking a refresher) when pricing is late. */
    public long quote() throws InterruptedException, ExecutionException {
        audit();
        validate();
        Future<Long> price = pricing.submit(this::price);
        long result;
        try {
            result = price.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            startRefresher(); // the bug: nobody ever stops it
            result = -1;
        }
        format();
        return result;
    }

    @InjectDelay
    void audit() {
    }

    @InjectDelay
    void validate() {
    }

    @InjectDelay
    long price() {
        return 42;
    }

    @InjectDelay
    void format() {
    }

    private static void startRefresher() {
        Thread refresher = new Thread(QuoteService::refreshUntilInterrupted, "price-refresher");
        refresher.start();
        Leftovers.track(refresher);
    }

    private static void refreshUntilInterrupted() {
        try {
            while (true) {
                Thread.sleep(50);
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pricing.shutdownNow();
        try {
            pricing.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
