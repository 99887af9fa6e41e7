package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.Timeouts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
    public static final class Source {

        private final String name;
        private final TimeoutClock clock;
        private final RateWindow window = new RateWindow();

        Source(String name, TimeoutClock clock) {
            this.name = name;
            this.clock = clock;
        }

        public String name() {
            return name;
        }

        /** Records one finished call; lock-free and allocation-free. */
        public void record(boolean timedOut) {
            window.record(clock.tick(), timedOut);
        }

        /** Timeouts since start. */
        public long timeouts() {
            return window.timeouts();
        }

        /** Finished calls since start. */
        public long calls() {
            return window.calls();
        }

        /** Timeouts divided by finished calls over the last 60 seconds, 0..1; 0 when there were none. */
        public double rate() {
            return window.rate(clock.nanos());
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
