package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.Timeouts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Timeouts and finished calls per source ({@code point:<id>}, {@code timelimiter:<name>} or a user's name), with the
 * timeout rate over the last 60 seconds. Recording is lock-free and allocation-free; the number of sources is capped
 * so that a runaway naming pattern cannot explode meter cardinality.
 */
public final class TimeoutTracker implements Timeouts {

    /** Where calls of sources beyond the cap are counted. */
    public static final String OVERFLOW_SOURCE = "jchaos:overflow";
    /** Default cap on distinct sources. */
    public static final int DEFAULT_MAX_SOURCES = 1000;

    private static final class Holder {
        static final TimeoutTracker INSTANCE = new TimeoutTracker(TimeoutClock.system(), DEFAULT_MAX_SOURCES,
                typesFromSystemProperty());
    }

    private final TimeoutClock clock;
    private final int maxSources;
    private final ConcurrentHashMap<String, Source> sources = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Source>> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Source> derived = new CopyOnWriteArrayList<>();
    /** Guards source creation and listener registration, so each listener sees each source exactly once. */
    private final Object lock = new Object();
    private volatile TimeoutTypes types;
    private Source overflow;

    TimeoutTracker(TimeoutClock clock, int maxSources, TimeoutTypes types) {
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources must be at least 1 but was " + maxSources);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSources = maxSources;
        this.types = Objects.requireNonNull(types, "types");
        clock.onTick(new Tick(this, null));
    }

    /** What the clock runs each bucket: the tracker's sampling, or a task of {@link #everySecond}. */
    private static final class Tick implements LongConsumer {
        private final TimeoutTracker tracker;
        private final Runnable task;

        Tick(TimeoutTracker tracker, Runnable task) {
            this.tracker = tracker;
            this.task = task;
        }

        @Override
        public void accept(long ended) {
            if (task != null) {
                task.run();
            } else {
                tracker.sample(ended);
            }
        }
    }

    /**
     * A source whose finished calls are counted elsewhere ({@code calls}, a point's call counter) and sampled once a
     * bucket by the clock; only its timeouts are recorded one by one ({@link Source#recordTimeout()}). So a call that
     * ends normally costs nothing here. Beyond the cap on sources it still counts, but gets no meters.
     */
    public Source pointSource(String name, LongSupplier calls) {
        Objects.requireNonNull(calls, "calls");
        Source created;
        synchronized (lock) {
            Source existing = sources.get(checkName(name));
            if (existing != null) {
                return existing;
            }
            created = new Source(name, clock, calls);
            derived.add(created);
            if (sources.size() < maxSources) {
                sources.put(name, created);
                announce(created);
            } else {
                Log.warnOnce("point-sources", "more than " + maxSources + " timeout sources: the timeouts of '"
                        + name + "' and later points are counted but get no meters");
            }
        }
        return created;
    }

    /** Runs {@code task} once a second on the clock's thread (cheap checks only; failures are caught and counted). */
    public void everySecond(Runnable task) {
        Objects.requireNonNull(task, "task");
        clock.onTick(new Tick(null, task));
    }

    /** Adds the calls each derived source made during bucket {@code ended}. */
    void sample(long ended) {
        for (Source source : derived) {
            source.sample(ended);
        }
    }

    /** This class loader's tracker; {@code Chaos.timeouts()} returns it. */
    public static TimeoutTracker get() {
        return Holder.INSTANCE;
    }

    private static TimeoutTypes typesFromSystemProperty() {
        try {
            return TimeoutTypes.parse(System.getProperty(TimeoutTypes.PROPERTY));
        } catch (ChaosConfigException e) {
            Log.stderr("bad system property " + TimeoutTypes.PROPERTY + ", only built-in timeout types apply: "
                    + e.getMessage());
            return TimeoutTypes.parse(null);
        } catch (SecurityException e) {
            return TimeoutTypes.parse(null);
        }
    }

    /**
     * The source named {@code name}, created on first use. Beyond the cap every new name shares the
     * {@value #OVERFLOW_SOURCE} source, and one warning says so.
     *
     * @throws IllegalArgumentException when {@code name} is null or blank
     */
    public Source source(String name) {
        Source source = sources.get(checkName(name));
        return source != null ? source : create(name);
    }

    private Source create(String name) {
        Source created;
        synchronized (lock) {
            Source existing = sources.get(name);
            if (existing != null) {
                return existing;
            }
            if (sources.size() >= maxSources) {
                if (overflow == null) {
                    Log.warn("more than " + maxSources + " timeout sources; '" + name
                            + "' and every later new source are counted as '" + OVERFLOW_SOURCE
                            + "' (name sources by dependency, never by request data)");
                    overflow = new Source(OVERFLOW_SOURCE, clock);
                    announce(overflow);
                }
                return overflow;
            }
            created = new Source(name, clock);
            sources.put(name, created);
            announce(created);
        }
        return created;
    }

    /** Caller holds the lock. */
    private void announce(Source source) {
        for (Consumer<Source> listener : listeners) {
            notify(listener, source);
        }
    }

    private static void notify(Consumer<Source> listener, Source source) {
        try {
            listener.accept(source);
        } catch (RuntimeException e) {
            Log.warnOnce("source-listener:" + listener.getClass().getName(), "a timeout source listener failed", e);
        }
    }

    /** Calls {@code listener} once for every source now (the overflow source included) and for each later one. */
    public void addSourceListener(Consumer<Source> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            listeners.add(listener);
            List<Source> now = new ArrayList<>(sources.values());
            if (overflow != null) {
                now.add(overflow);
            }
            for (Source source : now) {
                notify(listener, source);
            }
        }
    }

    /** Every source, the overflow source included once it exists. */
    public List<Source> sources() {
        synchronized (lock) {
            List<Source> now = new ArrayList<>(sources.values());
            if (overflow != null) {
                now.add(overflow);
            }
            return now;
        }
    }

    /**
     * Whether {@code thrown} is a timeout: by its type or the type of one of its first causes (see
     * {@link #setTimeoutTypes(String)} for which types).
     */
    public boolean isTimeout(Throwable thrown) {
        return thrown != null && types.isTimeout(thrown);
    }

    /**
     * Replaces the extra timeout types. Built in are {@code java.util.concurrent.TimeoutException},
     * {@code java.net.SocketTimeoutException}, {@code java.net.http.HttpTimeoutException} and any class whose simple
     * name ends in {@code TimeoutException}; {@code spec} adds comma-separated class names (with a dot: the class and
     * its subclasses) and simple-name suffixes (without a dot). The start value is property
     * {@code jchaos.timeoutTypes}.
     *
     * @throws ChaosConfigException naming the bad entry; the types in force stay
     */
    public void setTimeoutTypes(String spec) {
        types = TimeoutTypes.parse(spec);
    }

    /** The extra timeout types in force, as given. */
    public String timeoutTypes() {
        return types.spec();
    }

    @Override
    public void record(String source, boolean timedOut) {
        source(source).record(timedOut);
    }

    @Override
    public long timeouts(String source) {
        Source s = sources.get(checkName(source));
        return s == null ? 0 : s.timeouts();
    }

    @Override
    public long calls(String source) {
        Source s = sources.get(checkName(source));
        return s == null ? 0 : s.calls();
    }

    @Override
    public double rate(String source) {
        Source s = sources.get(checkName(source));
        return s == null ? 0.0 : s.rate();
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("timeout source must be a non-blank name but was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    /** One source's counts. */
    public static final class Source implements Telemetry.SourceStats {

        private final String name;
        private final TimeoutClock clock;
        private final RateWindow window = new RateWindow();
        /** Null when calls are recorded one by one. */
        private final LongSupplier derivedCalls;
        private volatile long sampled;

        Source(String name, TimeoutClock clock) {
            this(name, clock, null);
        }

        Source(String name, TimeoutClock clock, LongSupplier derivedCalls) {
            this.name = name;
            this.clock = clock;
            this.derivedCalls = derivedCalls;
            this.sampled = derivedCalls == null ? 0 : derivedCalls.getAsLong();
        }

        @Override
        public String name() {
            return name;
        }

        /** Records one finished call; lock-free and allocation-free. */
        public void record(boolean timedOut) {
            if (derivedCalls != null) {
                if (timedOut) {
                    recordTimeout();
                }
                return;
            }
            window.record(clock.tick(), timedOut);
        }

        /** Records a timeout; of a derived source, whose calls are counted elsewhere. */
        public void recordTimeout() {
            if (derivedCalls == null) {
                window.record(clock.tick(), true);
            } else {
                window.addTimeout(clock.tick());
            }
        }

        void sample(long ended) {
            long now = derivedCalls.getAsLong();
            long delta = now - sampled;
            sampled = now;
            if (delta > 0) {
                window.addCalls(ended, delta);
            }
        }

        /** Timeouts since start. */
        @Override
        public long timeouts() {
            return window.timeouts();
        }

        /** Finished calls since start. */
        public long calls() {
            return derivedCalls != null ? derivedCalls.getAsLong() : window.calls();
        }

        /** Timeouts divided by finished calls over the last 60 seconds, 0..1; 0 when there were none. */
        @Override
        public double rate() {
            if (derivedCalls != null) {
                return window.rate(clock.nanos(), derivedCalls.getAsLong() - sampled);
            }
            return window.rate(clock.nanos());
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
