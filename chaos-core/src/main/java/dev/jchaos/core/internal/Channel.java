package dev.jchaos.core.internal;

import dev.jchaos.core.PointSnapshot;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;
import dev.jchaos.core.internal.races.RaceControl;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongBiFunction;
import java.util.function.ToLongFunction;

/**
 * The controlling copy's channel, published in the hub for the other copies of jchaos in this JVM (another class
 * loader's, a web application's). Each operation is one JDK functional interface under its name, looked up once by
 * the other copy: typed calls with JDK types only, no command strings on the way. A {@code ChaosConfigException}
 * crosses as itself (an {@code IllegalArgumentException}) and is rebuilt as the caller's own type on the other side.
 * Listeners registered by other copies are held weakly, so an undeployed web application's loader can go.
 */
public final class Channel {

    /** Bumped when an operation changes shape; other copies check it. */
    public static final int PROTOCOL = 1;

    private static volatile Object own;

    private Channel() {
    }

    /** The channel this copy published, or null when this copy controls nothing. */
    static Object own() {
        return own;
    }

    /** Remembers {@code channel} as the one this copy published in the hub. */
    static void markOwn(Object channel) {
        own = channel;
    }

    /**
     * What the hub holds for {@code engine}: the operations, built the first time another copy asks (building them
     * at agent start would spin dozens of lambda classes inside the host's start-up).
     */
    static Supplier<Map<String, Object>> lazy(Engine engine) {
        return new Lazy(engine);
    }

    /** Builds the operations once, on first use. */
    private static final class Lazy implements Supplier<Map<String, Object>> {
        private final Engine engine;
        private volatile Map<String, Object> ops;

        Lazy(Engine engine) {
            this.engine = engine;
        }

        @Override
        public Map<String, Object> get() {
            Map<String, Object> built = ops;
            if (built == null) {
                synchronized (this) {
                    built = ops;
                    if (built == null) {
                        built = of(engine);
                        ops = built;
                    }
                }
            }
            return built;
        }
    }

    /** The operations of {@code engine}. */
    static Map<String, Object> of(Engine engine) {
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("protocol", PROTOCOL);
        ops.put("isEnabled", (BooleanSupplier) engine::isEnabled);
        ops.put("setEnabled", (Consumer<Boolean>) engine::setEnabled);
        ops.put("activate", (BiConsumer<String, String>) engine::activate);
        ops.put("deactivate", (Consumer<String>) engine::deactivate);
        ops.put("deactivateAll", (Runnable) engine::deactivateAll);
        ops.put("reload", (Runnable) engine::reloadFromSystemProperties);
        ops.put("points", (Supplier<List<Object[]>>) () -> rows(engine.points()));
        ops.put("activations", (Supplier<Map<String, String>>) engine::activations);
        ops.put("setActivations", (Consumer<Map<String, String>>) engine::setActivations);
        ops.put("seed", (LongSupplier) engine::seed);
        ops.put("setSeed", (LongConsumer) engine::setSeed);
        ops.put("haltWhen", (Supplier<String>) engine::haltWhen);
        ops.put("setHaltWhen", (Consumer<String>) engine::setHaltWhen);
        ops.put("ttlNanos", (LongSupplier) () -> engine.ttl().toNanos());
        ops.put("setTtlNanos", (LongConsumer) nanos -> engine.setTtl(java.time.Duration.ofNanos(nanos)));
        ops.put("activationCount", (LongSupplier) engine::activationCount);
        ops.put("haltCount", (LongSupplier) engine::haltCount);

        ops.put("activePointCount", (IntSupplier) engine::activePointCount);
        ops.put("threadGrowth", (LongSupplier) engine::threadGrowth);
        ops.put("onPoint", (Consumer<Consumer<String>>) listener -> {
            WeakReference<Consumer<String>> ref = new WeakReference<>(listener);
            engine.addPointListener(p -> {
                Consumer<String> l = ref.get();
                if (l != null) {
                    l.accept(p.id);
                }
            });
        });
        ops.put("pointCalls", (ToLongFunction<String>) id -> stat(engine, id, Point::calls));
        ops.put("pointInjections", (ToLongBiFunction<String, String>) (id, action) -> {
            Point p = engine.point(id);
            return p == null ? 0 : p.injections(action);
        });
        ops.put("pointInjectedNanos", (ToLongFunction<String>) id -> stat(engine, id, Point::injectedNanos));
        ops.put("pointInjectedWaits", (ToLongFunction<String>) id -> stat(engine, id, Point::injectedWaits));
        ops.put("pointInFlight", (ToIntFunction<String>) id -> (int) stat(engine, id, Point::inFlight));

        TimeoutTracker timeouts = TimeoutTracker.get();
        ops.put("timeoutsRecord", (BiConsumer<String, Boolean>) timeouts::record);
        ops.put("timeoutsCount", (ToLongFunction<String>) timeouts::timeouts);
        ops.put("timeoutsCalls", (ToLongFunction<String>) timeouts::calls);
        ops.put("timeoutsRate", (ToDoubleFunction<String>) timeouts::rate);
        ops.put("onTimeoutSource", (Consumer<Consumer<String>>) listener -> {
            WeakReference<Consumer<String>> ref = new WeakReference<>(listener);
            timeouts.addSourceListener(source -> {
                Consumer<String> l = ref.get();
                if (l != null) {
                    l.accept(source.name());
                }
            });
        });
        RaceControl races = RaceControl.get();
        ops.put("racesWatch", (Function<Object[], Supplier<Object[]>>) request -> {
            @SuppressWarnings("unchecked")
            List<String> globs = (List<String>) request[0];
            @SuppressWarnings("unchecked")
            List<String> holdAt = (List<String>) request[2];
            Races.Session session = races.watch(globs, (Duration) request[1], holdAt, (Long) request[3]);
            return () -> {
                RaceReport report = session.stop();
                return new Object[] {raceRows(report.violations()), report.suspects()};
            };
        });
        ops.put("racesViolations", (Supplier<List<Object[]>>) () -> raceRows(races.violations()));
        ops.put("racesCount", (ToLongFunction<String>) races::count);
        return java.util.Collections.unmodifiableMap(ops);
    }

    private static long stat(Engine engine, String id, ToLongFunction<Point> read) {
        Point p = engine.point(id);
        return p == null ? 0 : read.applyAsLong(p);
    }

    static List<Object[]> raceRows(List<RaceViolation> violations) {
        List<Object[]> rows = new ArrayList<>(violations.size());
        for (RaceViolation v : violations) {
            rows.add(new Object[] {v.collection(), v.seen(), v.held().operation(), v.held().site(), v.held().thread(),
                v.held().stack().toArray(new StackTraceElement[0]), v.other().operation(), v.other().site(),
                v.other().thread(), v.other().stack().toArray(new StackTraceElement[0])});
        }
        return rows;
    }

    static RaceViolation raceOf(Object[] row) {
        return new RaceViolation((String) row[0],
                new RaceViolation.Access((String) row[2], (String) row[3], (String) row[4],
                        List.of((StackTraceElement[]) row[5])),
                new RaceViolation.Access((String) row[6], (String) row[7], (String) row[8],
                        List.of((StackTraceElement[]) row[9])), (Integer) row[1]);
    }

    private static List<Object[]> rows(List<PointSnapshot> points) {
        List<Object[]> rows = new ArrayList<>(points.size());
        for (PointSnapshot s : points) {
            rows.add(new Object[] {s.id(), s.declaredBy(), s.actions(), s.calls(), s.injections(), s.injectedNanos(),
                s.inFlight()});
        }
        return rows;
    }
}
