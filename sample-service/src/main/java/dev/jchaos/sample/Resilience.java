package dev.jchaos.sample;

import dev.jchaos.sample.DownstreamUnavailableException.Reason;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedThreadPoolBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Resilience4j registries of the service and the one way downstream calls are guarded: each call runs on a
 * {@link ThreadPoolBulkhead} thread under a {@link TimeLimiter}, inside a {@link CircuitBreaker}, retried once by
 * {@link Retry} when the failure may be transient.
 */
public final class Resilience implements AutoCloseable {

    private final TimeLimiterRegistry timeLimiters;
    private final ThreadPoolBulkheadRegistry bulkheads;
    private final CircuitBreakerRegistry circuitBreakers;
    private final RetryRegistry retries;

    /**
     * @param callTimeout how long one attempt may take before the time limiter gives up on it
     */
    public Resilience(Duration callTimeout) {
        timeLimiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(callTimeout)
                .cancelRunningFuture(true)
                .build());
        bulkheads = ThreadPoolBulkheadRegistry.of(ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(4)
                .maxThreadPoolSize(16)
                .queueCapacity(8)
                // extra workers leave soon after a burst, so thread counts return to their baseline
                .keepAliveDuration(Duration.ofSeconds(2))
                .build());
        circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2))
                .permittedNumberOfCallsInHalfOpenState(4)
                .ignoreExceptions(OutOfStockException.class)
                .build());
        retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(50))
                .retryOnException(Resilience::transientFailure)
                .build());
    }

    /** The time limiters, for metrics such as {@code ChaosMetrics.observe(..)}. */
    public TimeLimiterRegistry timeLimiters() {
        return timeLimiters;
    }

    /** Binds the {@code resilience4j_*} meters of every registry, including instances created later. */
    public void bindTo(MeterRegistry registry) {
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(registry);
        TaggedThreadPoolBulkheadMetrics.ofThreadPoolBulkheadRegistry(bulkheads).bindTo(registry);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
    }

    /** A guard for the downstream called {@code name}; its instances are created on first use. */
    public Guard guard(String name) {
        return new Guard(name, timeLimiters.timeLimiter(name), bulkheads.bulkhead(name),
                circuitBreakers.circuitBreaker(name), retries.retry(name));
    }

    private static boolean transientFailure(Throwable failure) {
        return failure instanceof DownstreamUnavailableException d
                && (d.reason() == Reason.TIMEOUT || d.reason() == Reason.CONNECTION);
    }

    @Override
    public void close() {
        for (ThreadPoolBulkhead bulkhead : bulkheads.getAllBulkheads()) {
            try {
                bulkhead.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close bulkhead " + bulkhead.getName(), e);
            }
        }
    }

    /** Runs calls to one downstream under the service's resilience policy. */
    public static final class Guard {

        private final String name;
        private final TimeLimiter timeLimiter;
        private final ThreadPoolBulkhead bulkhead;
        private final CircuitBreaker circuitBreaker;
        private final Retry retry;

        private Guard(String name, TimeLimiter timeLimiter, ThreadPoolBulkhead bulkhead,
                      CircuitBreaker circuitBreaker, Retry retry) {
            this.name = name;
            this.timeLimiter = timeLimiter;
            this.bulkhead = bulkhead;
            this.circuitBreaker = circuitBreaker;
            this.retry = retry;
        }

        /**
         * Runs {@code call} and returns its result.
         *
         * @throws DownstreamUnavailableException when every attempt failed, timed out or was refused
         */
        public <T> T call(Supplier<T> call) {
            Supplier<T> limited = () -> attempt(call);
            Supplier<T> guarded = Retry.decorateSupplier(retry,
                    CircuitBreaker.decorateSupplier(circuitBreaker, limited));
            try {
                return guarded.get();
            } catch (CallNotPermittedException e) {
                throw new DownstreamUnavailableException(name, Reason.CIRCUIT_OPEN,
                        "circuit breaker is " + circuitBreaker.getState(), e);
            }
        }

        private <T> T attempt(Supplier<T> call) {
            try {
                return timeLimiter.executeFutureSupplier(() -> bulkhead.executeSupplier(call).toCompletableFuture());
            } catch (BulkheadFullException e) {
                throw new DownstreamUnavailableException(name, Reason.BULKHEAD_FULL, e.getMessage(), e);
            } catch (TimeoutException e) {
                throw new DownstreamUnavailableException(name, Reason.TIMEOUT,
                        "no answer within " + timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + "ms", e);
            } catch (RuntimeException e) {
                throw unwrap(e);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RuntimeException runtime) {
                    throw unwrap(runtime);
                }
                throw new DownstreamUnavailableException(name, Reason.BAD_RESPONSE, String.valueOf(cause), cause);
            }
        }

        private RuntimeException unwrap(RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof DownstreamUnavailableException d) {
                return d;
            }
            if (cause instanceof BulkheadFullException full) {
                return new DownstreamUnavailableException(name, Reason.BULKHEAD_FULL, full.getMessage(), full);
            }
            if (cause instanceof RuntimeException runtime) {
                return runtime;
            }
            return new DownstreamUnavailableException(name, Reason.BAD_RESPONSE, String.valueOf(cause), cause);
        }
    }
}
