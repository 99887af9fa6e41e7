package dev.jchaos.sample;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts finished downstream calls and how many of them timed out, across the Resilience4j time limiters and the
 * legacy pricing path, so the experiment can chart the service's timeout rate second by second.
 */
final class CallTally {

    private final LongAdder calls = new LongAdder();
    private final LongAdder timeouts = new LongAdder();

    /** Counts every call of every time limiter in {@code registry}, including ones created later. */
    void observe(TimeLimiterRegistry registry) {
        registry.getAllTimeLimiters().forEach(this::observe);
        registry.getEventPublisher().onEntryAdded(event -> observe(event.getAddedEntry()));
    }

    private void observe(TimeLimiter limiter) {
        limiter.getEventPublisher()
                .onSuccess(event -> record(false))
                .onError(event -> record(false))
                .onTimeout(event -> record(true));
    }

    void record(boolean timedOut) {
        calls.increment();
        if (timedOut) {
            timeouts.increment();
        }
    }

    /** Finished calls since start. */
    long calls() {
        return calls.sum();
    }

    /** Timed-out calls since start. */
    long timeouts() {
        return timeouts.sum();
    }
}
