package dev.jchaos.core.metrics;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.internal.Controllers;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.Telemetry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters for chaos experiments: calls, injections, injected delay and threads held per point, points
 * active, thread growth since chaos was enabled, and timeouts with their 60-second rate per source. Micrometer's
 * {@link JvmThreadMetrics} is bound alongside. Points and sources that appear after binding get their meters too.
 * Use: {@code new ChaosMetrics().observe(timeLimiterRegistry).bindTo(meterRegistry)}.
 */
public final class ChaosMetrics implements MeterBinder {

    static final String POINT_CALLS = "jchaos.point.calls";
    static final String INJECTIONS = "jchaos.injections";
    static final String INJECTED_DELAY = "jchaos.injected.delay";
    static final String INFLIGHT = "jchaos.inflight";
    static final String POINTS_ACTIVE = "jchaos.points.active";
    static final String THREADS_GROWTH = "jchaos.threads.growth";
    static final String TIMEOUTS = "jchaos.timeouts";
    static final String TIMEOUT_RATE = "jchaos.timeout.rate";
    static final String RACES = "jchaos.races";
    /** Values of the {@code collection} tag of {@code jchaos.races}: the collections race watching watches. */
    static final List<String> COLLECTIONS = List.of("java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.PriorityQueue");
    static final String ACTIVATIONS = "jchaos.activations";
    static final String HALTS = "jchaos.halts";

    /** Values of the {@code action} tag, the action language's words. */
    static final List<String> ACTIONS = List.of("delay", "hang", "throw");
    /** Points with meters per registry; a glob that weaves thousands of methods must not explode cardinality. */
    static final int DEFAULT_MAX_POINTS = 1000;

    private final Tags tags;
    private final int maxPoints;
    private final Telemetry telemetry;

    /** Meters with no extra tags. */
    public ChaosMetrics() {
        this(Tags.empty());
    }

    /** Meters with {@code tags} added to each (common tags of the registry apply anyway). */
    public ChaosMetrics(Iterable<Tag> tags) {
        this(tags, DEFAULT_MAX_POINTS, null);
    }

    /** For tests: a cap on points with meters, and what to observe ({@code null}: the JVM's controller). */
    ChaosMetrics(Iterable<Tag> tags, int maxPoints, Telemetry telemetry) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be at least 1 but was " + maxPoints);
        }
        this.maxPoints = maxPoints;
        this.telemetry = telemetry;
    }

    /**
     * Counts the calls and timeouts of every time limiter of {@code registry}, those created later included, as
     * timeout source {@code timelimiter:<name>}. Counting starts now, whether or not this binder is bound; observing
     * the same registry again changes nothing. Resilience4j is needed on the class path only when this is called.
     */
    public ChaosMetrics observe(TimeLimiterRegistry registry) {
        TimeLimiterTimeouts.observe(Objects.requireNonNull(registry, "registry"), Chaos.timeouts());
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        new JvmThreadMetrics(tags).bindTo(registry);
        Telemetry observed = telemetry != null ? telemetry : Controllers.telemetry();

        Gauge.builder(POINTS_ACTIVE, observed, Telemetry::activePointCount)
                .tags(tags)
                .description("Points with active actions")
                .baseUnit("points")
                .register(registry);
        Gauge.builder(THREADS_GROWTH, observed, Telemetry::threadGrowth)
                .tags(tags)
                .description("Live threads minus live threads when chaos was last enabled")
                .baseUnit("threads")
                .register(registry);

        for (String collection : COLLECTIONS) {
            FunctionCounter.builder(RACES, observed, t -> t.races(collection))
                    .tags(tags)
                    .tag("collection", collection)
                    .description("Thread-safety violations seen on instances of the collection (race watching)")
                    .baseUnit("violations")
                    .register(registry);
        }
        FunctionCounter.builder(ACTIVATIONS, observed, Telemetry::activationCount)
                .tags(tags)
                .description("Activations applied (activate, setActivations, a reload with points)")
                .baseUnit("activations")
                .register(registry);
        FunctionCounter.builder(HALTS, observed, Telemetry::haltCount)
                .tags(tags)
                .description("Times a halt condition stopped chaos")
                .baseUnit("halts")
                .register(registry);

        // the engine and the tracker keep listeners for good: a weak reference lets a dropped registry be collected
        WeakReference<MeterRegistry> target = new WeakReference<>(registry);
        AtomicInteger points = new AtomicInteger();
        observed.onPoint(point -> {
            MeterRegistry r = target.get();
            if (r != null && !r.isClosed()) {
                guarded("point " + point.id(), () -> bindPoint(r, point, points));
            }
        });
        observed.onTimeoutSource(source -> {
            MeterRegistry r = target.get();
            if (r != null && !r.isClosed()) {
                guarded("timeout source " + source.name(), () -> bindSource(r, source));
            }
        });
    }

    private void bindPoint(MeterRegistry registry, Telemetry.PointStats point, AtomicInteger count) {
        int n = count.incrementAndGet();
        if (n > maxPoints) {
            if (n == maxPoints + 1) {
                Log.warn("more than " + maxPoints + " points; '" + point.id() + "' and every later point get no "
                        + "meters (narrow the pattern that weaves them)");
            }
            return;
        }
        Tags pointTags = tags.and("point", point.id());
        FunctionCounter.builder(POINT_CALLS, point, Telemetry.PointStats::calls)
                .tags(pointTags)
                .description("Calls through the point while it was armed")
                .baseUnit("calls")
                .register(registry);
        for (String action : ACTIONS) {
            FunctionCounter.builder(INJECTIONS, point, p -> p.injections(action))
                    .tags(pointTags)
                    .tag("action", action)
                    .description("Calls in which the point injected this action")
                    .baseUnit("injections")
                    .register(registry);
        }
        FunctionTimer.builder(INJECTED_DELAY, point, Telemetry.PointStats::injectedWaits,
                        Telemetry.PointStats::injectedNanos,
                        TimeUnit.NANOSECONDS)
                .tags(pointTags)
                .description("Time threads spent in injected delays and hangs that ended")
                .register(registry);
        Gauge.builder(INFLIGHT, point, Telemetry.PointStats::inFlight)
                .tags(pointTags)
                .description("Threads inside an injected delay or hang now")
                .baseUnit("threads")
                .register(registry);
    }

    private void bindSource(MeterRegistry registry, Telemetry.SourceStats source) {
        Tags sourceTags = tags.and("source", source.name());
        FunctionCounter.builder(TIMEOUTS, source, Telemetry.SourceStats::timeouts)
                .tags(sourceTags)
                .description("Finished calls that ended in a timeout")
                .baseUnit("timeouts")
                .register(registry);
        Gauge.builder(TIMEOUT_RATE, source, Telemetry.SourceStats::rate)
                .tags(sourceTags)
                .description("Timeouts divided by finished calls over the last 60 seconds")
                .baseUnit("ratio")
                .register(registry);
    }

    /** Registration runs inside class loading and engine callbacks: a failure is logged, never thrown there. */
    private static void guarded(String what, Runnable registration) {
        try {
            registration.run();
        } catch (RuntimeException | LinkageError e) {
            Log.warnOnce("metrics:" + e.getClass().getName(), "could not register meters for " + what, e);
        }
    }
}
