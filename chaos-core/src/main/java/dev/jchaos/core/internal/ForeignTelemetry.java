package dev.jchaos.core.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongBiFunction;
import java.util.function.ToLongFunction;

/**
 * The metrics' view of the controlling copy, from another copy of jchaos: statistics read through the hub's
 * {@link Channel}. The listeners it registers are held weakly over there and strongly here, for as long as this copy
 * lives.
 */
final class ForeignTelemetry implements Telemetry {

    private final IntSupplier activePointCount;
    private final LongSupplier threadGrowth;
    private final LongSupplier activations;
    private final LongSupplier halts;
    private final Consumer<Consumer<String>> onPoint;
    private final ToLongFunction<String> calls;
    private final ToLongBiFunction<String, String> injections;
    private final ToLongFunction<String> injectedNanos;
    private final ToLongFunction<String> injectedWaits;
    private final ToIntFunction<String> inFlight;
    private final Consumer<Consumer<String>> onTimeoutSource;
    private final ToLongFunction<String> timeouts;
    private final ToDoubleFunction<String> rate;
    private final ToLongFunction<String> races;
    /** Keeps the listeners registered over there, and the views handed out, alive. */
    private final Map<Object, Object> kept = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    ForeignTelemetry(Map<String, Object> ops) {
        this.activePointCount = (IntSupplier) ops.get("activePointCount");
        this.threadGrowth = (LongSupplier) ops.get("threadGrowth");
        this.activations = (LongSupplier) ops.get("activationCount");
        this.halts = (LongSupplier) ops.get("haltCount");
        this.onPoint = (Consumer<Consumer<String>>) ops.get("onPoint");
        this.calls = (ToLongFunction<String>) ops.get("pointCalls");
        this.injections = (ToLongBiFunction<String, String>) ops.get("pointInjections");
        this.injectedNanos = (ToLongFunction<String>) ops.get("pointInjectedNanos");
        this.injectedWaits = (ToLongFunction<String>) ops.get("pointInjectedWaits");
        this.inFlight = (ToIntFunction<String>) ops.get("pointInFlight");
        this.onTimeoutSource = (Consumer<Consumer<String>>) ops.get("onTimeoutSource");
        this.timeouts = (ToLongFunction<String>) ops.get("timeoutsCount");
        this.rate = (ToDoubleFunction<String>) ops.get("timeoutsRate");
        this.races = (ToLongFunction<String>) ops.get("racesCount");
    }

    @Override
    public int activePointCount() {
        return activePointCount.getAsInt();
    }

    @Override
    public long threadGrowth() {
        return threadGrowth.getAsLong();
    }

    @Override
    public long races(String collection) {
        return races.applyAsLong(collection);
    }

    @Override
    public long activationCount() {
        return activations == null ? 0 : activations.getAsLong();
    }

    @Override
    public long haltCount() {
        return halts == null ? 0 : halts.getAsLong();
    }

    @Override
    public void onPoint(Consumer<? super PointStats> listener) {
        Consumer<String> byId = id -> listener.accept((PointStats) kept.computeIfAbsent("point:" + id,
                k -> new ForeignPoint(id)));
        kept.put(byId, byId);
        onPoint.accept(byId);
    }

    @Override
    public void onTimeoutSource(Consumer<? super SourceStats> listener) {
        Consumer<String> byName = name -> listener.accept((SourceStats) kept.computeIfAbsent("source:" + name,
                k -> new ForeignSource(name)));
        kept.put(byName, byName);
        onTimeoutSource.accept(byName);
    }

    private final class ForeignPoint implements PointStats {
        private final String id;

        ForeignPoint(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public long calls() {
            return calls.applyAsLong(id);
        }

        @Override
        public long injections(String action) {
            return injections.applyAsLong(id, action);
        }

        @Override
        public long injectedNanos() {
            return injectedNanos.applyAsLong(id);
        }

        @Override
        public long injectedWaits() {
            return injectedWaits.applyAsLong(id);
        }

        @Override
        public int inFlight() {
            return inFlight.applyAsInt(id);
        }
    }

    private final class ForeignSource implements SourceStats {
        private final String name;

        ForeignSource(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long timeouts() {
            return timeouts.applyAsLong(name);
        }

        @Override
        public double rate() {
            return rate.applyAsDouble(name);
        }
    }
}
