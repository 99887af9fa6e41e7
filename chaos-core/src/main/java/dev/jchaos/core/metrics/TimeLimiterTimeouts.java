package dev.jchaos.core.metrics;

import dev.jchaos.core.Timeouts;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Feeds Resilience4j time limiter outcomes into the JVM's timeout counters as source {@code timelimiter:<name>}. The only
 * class of jchaos that touches Resilience4j, loaded only when {@link ChaosMetrics#observe} is called.
 */
final class TimeLimiterTimeouts {

    static final String PREFIX = "timelimiter:";

    /**
     * Registries and limiters already subscribed, so each outcome is counted once however often they are observed;
     * weak, and Resilience4j's implementations keep Object's identity equals.
     */
    private static final Set<Object> SUBSCRIBED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private TimeLimiterTimeouts() {
    }

    static void observe(TimeLimiterRegistry registry, Timeouts tracker) {
        if (!SUBSCRIBED.add(registry)) {
            return;
        }
        registry.getEventPublisher()
                .onEntryAdded(event -> watch(event.getAddedEntry(), tracker))
                .onEntryReplaced(event -> watch(event.getNewEntry(), tracker));
        for (TimeLimiter limiter : registry.getAllTimeLimiters()) {
            watch(limiter, tracker);
        }
    }

    private static void watch(TimeLimiter limiter, Timeouts tracker) {
        if (!SUBSCRIBED.add(limiter)) {
            return;
        }
        String source = PREFIX + limiter.getName();
        limiter.getEventPublisher()
                .onSuccess(event -> tracker.record(source, false))
                .onError(event -> tracker.record(source, false))
                .onTimeout(event -> tracker.record(source, true));
    }
}
