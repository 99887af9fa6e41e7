package dev.jchaos.junit.demo;

import dev.jchaos.annotations.InjectDelay;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reserve and charge share one deadline: either one slow is fine, both slow together miss it, and the missed
 * deadline leaks a retry thread. The other three points are outside the deadline.
 */
public final class Checkout implements AutoCloseable {

    /** The shared deadline of reserve + charge. */
    public static final long DEADLINE_MS = 500;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "checkout-worker"));

    /** Checks out; a missed deadline starts a retry thread that is never stopped. */
    public void checkout() throws InterruptedException, ExecutionException {
        load();
        Future<?> payment = worker.submit(() -> {
            reserve();
            charge();
        });
        try {
            payment.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            Thread retry = new Thread(Checkout::retryUntilInterrupted, "checkout-retry");
            retry.start();
            Leftovers.track(retry);
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

    private static void retryUntilInterrupted() {
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
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
