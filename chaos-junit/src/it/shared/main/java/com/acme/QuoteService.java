package com.acme;

import dev.jchaos.annotations.InjectDelay;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** When pricing misses its deadline it starts a refresher and never stops it; only a slow price() leaks. */
public final class QuoteService implements AutoCloseable {

    public static final long TIMEOUT_MS = 200;

    private final ExecutorService pricing = Executors.newSingleThreadExecutor(r -> new Thread(r, "pricing-worker"));

    public long quote() throws InterruptedException, ExecutionException {
        audit();
        validate();
        Future<Long> price = pricing.submit(this::price);
        long result;
        try {
            result = price.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            startRefresher();
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
        new Thread(QuoteService::refreshForever, "price-refresher").start();
    }

    private static void refreshForever() {
        try {
            while (true) {
                Thread.sleep(50);
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        pricing.shutdownNow();
        pricing.awaitTermination(10, TimeUnit.SECONDS);
    }
}
