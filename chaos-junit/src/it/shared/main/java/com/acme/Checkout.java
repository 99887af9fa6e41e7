package com.acme;

import dev.jchaos.annotations.InjectDelay;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reserve and charge share one deadline: either slow alone is fine, both slow miss it and leak a retry thread. */
public final class Checkout implements AutoCloseable {

    public static final long DEADLINE_MS = 500;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "checkout-worker"));

    public void checkout() throws InterruptedException, ExecutionException {
        load();
        Future<?> payment = worker.submit(() -> {
            reserve();
            charge();
        });
        try {
            payment.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            new Thread(Checkout::retryForever, "checkout-retry").start();
        }
        receipt();
        notifyUser();
    }

    @InjectDelay("checkout.load")
    public void load() {
    }

    @InjectDelay("checkout.reserve")
    public void reserve() {
    }

    @InjectDelay("checkout.charge")
    public void charge() {
    }

    @InjectDelay("checkout.receipt")
    public void receipt() {
    }

    @InjectDelay("checkout.notify")
    public void notifyUser() {
    }

    private static void retryForever() {
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
        worker.shutdownNow();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }
}
