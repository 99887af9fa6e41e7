package dev.jchaos.sample;

import dev.jchaos.core.Chaos;
import dev.jchaos.sample.DownstreamUnavailableException.Reason;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LEAK EXHIBIT, KEPT ON PURPOSE: the pricing path of an older release, switched on with {@code --leaky}. It is the
 * demonstration target of jchaos's leak detection and must not be "fixed".
 *
 * <p>The bug: every quote gets its own executor, which is shut down only when the quote arrives in time. When
 * {@link PricingClient#quote} is slow the wait times out, the method throws, and the executor's worker thread
 * stays parked on its empty queue forever: one leaked {@code legacy-pricing-N} thread per timed-out order. A fast
 * pricing service never shows it, which is how it survived review.
 */
final class LegacyPricingQuotes {

    private static final AtomicInteger EXECUTORS = new AtomicInteger();
    /** Every executor still running, so that tests of the exhibit can stop what it leaked (see below). */
    private static final Queue<ExecutorService> RUNNING = new ConcurrentLinkedQueue<>();

    private final PricingClient pricing;
    private final Duration timeout;
    private final CallTally tally;

    LegacyPricingQuotes(PricingClient pricing, Duration timeout, CallTally tally) {
        this.pricing = pricing;
        this.timeout = timeout;
        this.tally = tally;
    }

    private void record(boolean timedOut) {
        tally.record(timedOut);
        Chaos.timeouts().record("legacy-pricing", timedOut);
    }

    /**
     * Test hygiene only, never called by the service: shuts down every executor the exhibit leaked, so a test JVM
     * that ran the exhibit ends clean. Returns how many were still running.
     */
    static int shutdownLeakedForTests() {
        int leaked = 0;
        for (ExecutorService executor; (executor = RUNNING.poll()) != null; ) {
            if (!executor.isShutdown()) {
                leaked++;
            }
            executor.shutdownNow();
        }
        return leaked;
    }

    /** The unit price of {@code sku}, or a {@code 503}-worthy exception after {@code timeout}. */
    long quote(String sku) {
        // Daemon workers, so that the exhibit's leak never keeps the JVM from exiting.
        // A plain one-thread pool: unlike newSingleThreadExecutor it has no cleaner that would shut it down
        // once unreachable, and its worker keeps it reachable anyway, so the leak does not depend on the GC.
        ExecutorService executor = Executors.newFixedThreadPool(1,
                new NamedThreads("legacy-pricing-" + EXECUTORS.incrementAndGet(), true));
        if (EXECUTORS.get() % 64 == 0) {
            RUNNING.removeIf(ExecutorService::isShutdown);
        }
        RUNNING.add(executor);
        Future<Long> price = executor.submit(() -> pricing.quote(sku));
        try {
            long cents = price.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            record(false);
            executor.shutdown();
            return cents;
        } catch (TimeoutException e) {
            record(true);
            // THE BUG: the executor is neither shut down nor is the task cancelled.
            throw new DownstreamUnavailableException("pricing", Reason.TIMEOUT,
                    "legacy quote took longer than " + timeout.toMillis() + "ms", e);
        } catch (ExecutionException e) {
            record(false);
            executor.shutdown();
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new DownstreamUnavailableException("pricing", Reason.BAD_RESPONSE, String.valueOf(e.getCause()), e);
        } catch (InterruptedException e) {
            executor.shutdown();
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException("pricing", Reason.TIMEOUT, "interrupted", e);
        }
    }
}
