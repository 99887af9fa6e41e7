package dev.jchaos.core.internal;

import dev.jchaos.core.Timeouts;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/** {@code Chaos.timeouts()} in a copy of jchaos that does not control the JVM: the controlling copy's counters. */
final class ForeignTimeouts implements Timeouts {

    private final BiConsumer<String, Boolean> record;
    private final ToLongFunction<String> timeouts;
    private final ToLongFunction<String> calls;
    private final ToDoubleFunction<String> rate;

    @SuppressWarnings("unchecked")
    ForeignTimeouts(Map<String, Object> ops) {
        this.record = (BiConsumer<String, Boolean>) ops.get("timeoutsRecord");
        this.timeouts = (ToLongFunction<String>) ops.get("timeoutsCount");
        this.calls = (ToLongFunction<String>) ops.get("timeoutsCalls");
        this.rate = (ToDoubleFunction<String>) ops.get("timeoutsRate");
    }

    @Override
    public void record(String source, boolean timedOut) {
        record.accept(source, timedOut);
    }

    @Override
    public long timeouts(String source) {
        return timeouts.applyAsLong(source);
    }

    @Override
    public long calls(String source) {
        return calls.applyAsLong(source);
    }

    @Override
    public double rate(String source) {
        return rate.applyAsDouble(source);
    }
}
