package dev.jchaos.core.internal.races;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;
import dev.jchaos.core.internal.Glob;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.Targeting;

import java.lang.invoke.CallSite;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Race watching in the controlling copy: one watch at a time, either a session (a test's, through {@link Races}) or
 * the running service's ({@code jchaos.races}), which learns and holds continuously while chaos is enabled, reports
 * each new pair of sites once on stderr, and goes quiet at the kill switch until chaos is switched on again. A
 * session pauses the service's watch and resumes it when it stops.
 */
public final class RaceControl implements Races {

    private static final RaceControl INSTANCE = new RaceControl();
    static final long SERVICE_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private volatile Targeting weaver;
    private final ConcurrentHashMap<String, RaceViolation> found = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private Session running;
    private List<Glob> serviceGlobs = List.of();
    private long serviceSeed;
    private boolean serviceArmed;
    private RaceTracker serviceTracker;

    private RaceControl() {
    }

    public static RaceControl get() {
        return INSTANCE;
    }

    /** Called once the agent weaves: watched call sites can link from now on. */
    public void attach(Targeting targeting, HubLink hub) {
        this.weaver = targeting;
        hub.claimRaceLinker(new Linker());
    }

    /** Links watched call sites; the site registry loads with the first one, not at agent start. */
    private static final class Linker implements Function<Object[], CallSite> {
        @Override
        public CallSite apply(Object[] request) {
            return RaceSites.INSTANCE.link(request);
        }
    }

    /** Parses and checks class globs such as {@code com.acme.*}. */
    public static List<Glob> globs(Collection<String> patterns) {
        List<Glob> result = new ArrayList<>();
        for (String pattern : patterns) {
            result.add(Glob.of(Objects.requireNonNull(pattern, "class glob").strip()));
        }
        return result;
    }

    @Override
    public synchronized Session watch(List<String> classGlobs, Duration hold, Collection<String> holdAt, long seed) {
        Objects.requireNonNull(hold, "hold");
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("hold must be longer than zero but was " + hold);
        }
        List<Glob> globs = globs(classGlobs);
        if (globs.isEmpty()) {
            throw new ChaosConfigException(String.valueOf(classGlobs), 0, "no classes to watch");
        }
        Targeting w = weaver;
        if (w == null) {
            throw new IllegalStateException("watching races needs the jchaos agent: call Chaos.installAgent() or "
                    + "start the JVM with -javaagent");
        }
        if (running != null) {
            throw new IllegalStateException("a race watch is already running; stop it first");
        }
        pauseService();
        RaceTracker tracker = new RaceTracker(hold.toNanos(), seed, false, RaceSites.INSTANCE::byId, this::seen);
        w.watchRaces(globs, callerSource());
        RaceSites.INSTANCE.activate(tracker, globs, List.copyOf(holdAt));
        Session session = new Session() {
            private RaceReport report;

            @Override
            public RaceReport stop() {
                synchronized (RaceControl.this) {
                    if (report == null) {
                        RaceSites.INSTANCE.deactivate();
                        tracker.stop();
                        report = new RaceReport(tracker.violations(), tracker.suspects());
                        running = null;
                        resumeService();
                    }
                    return report;
                }
            }
        };
        running = session;
        return session;
    }

    /**
     * chaos-junit's own code when it is the one asking to watch: never watched itself, whatever the globs say. A
     * user's code calling {@link Races#watch} is not excluded: the racy code often sits beside the test that calls.
     */
    private static CodeSource callerSource() {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> !c.getName().startsWith("dev.jchaos.core."))
                .findFirst().orElse(null));
        return caller == null || !caller.getName().startsWith("dev.jchaos.junit.") ? null
                : caller.getProtectionDomain().getCodeSource();
    }

    @Override
    public List<RaceViolation> violations() {
        List<RaceViolation> result = new ArrayList<>(found.values());
        result.sort((a, b) -> a.line().compareTo(b.line()));
        return result;
    }

    /** Violations seen in this JVM on instances of {@code collection} (the {@code jchaos.races} meter). */
    public long count(String collection) {
        LongAdder n = counts.get(collection);
        return n == null ? 0 : n.sum();
    }

    private void seen(RaceViolation violation, boolean first) {
        seen(violation);
    }

    /** Counts an occurrence; whether it is the first of its pair of sites in this JVM. */
    private boolean seen(RaceViolation violation) {
        counts.computeIfAbsent(violation.collection(), k -> new LongAdder()).increment();
        String a = violation.held().site();
        String b = violation.other().site();
        // one pair of sites whichever thread happened to be the held one, whatever the operations were
        String key = violation.collection() + "|" + (a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a);
        boolean[] first = {true};
        found.merge(key, violation, (old, now) -> {
            first[0] = false;
            return new RaceViolation(old.collection(), old.held(), old.other(), old.seen() + 1);
        });
        return first[0];
    }

    /** A running service reports each new pair of sites once, on stderr, visible whatever logging is set up. */
    private void seenInService(RaceViolation violation, boolean first) {
        if (seen(violation)) {
            Log.stderr("thread-safety violation: " + violation.describe().strip());
        }
    }

    // ---------------------------------------------------------------- the running service's watch

    /** Watches {@code globs} for a running service ({@code jchaos.races}); armed while chaos is enabled. */
    public synchronized void service(List<Glob> globs, long seed, boolean armed) {
        Targeting w = weaver;
        if (w == null) {
            return;
        }
        pauseService();
        serviceGlobs = List.copyOf(globs);
        serviceSeed = seed;
        serviceArmed = armed;
        if (!globs.isEmpty()) {
            w.watchRaces(globs, null);
        }
        resumeService();
    }

    /** Follows the master switch: the service's watch holds threads only while chaos is enabled. */
    public synchronized void serviceArmed(boolean armed) {
        if (armed == serviceArmed) {
            return;
        }
        serviceArmed = armed;
        if (armed) {
            resumeService();
        } else {
            pauseService();
        }
    }

    /** The kill switch: the service's watch lets every held thread go and stays off until chaos is enabled again. */
    public synchronized void killSwitch() {
        serviceArmed = false;
        pauseService();
    }

    private void pauseService() {
        if (serviceTracker != null) {
            RaceSites.INSTANCE.deactivate();
            serviceTracker.stop();
            serviceTracker = null;
        }
    }

    private void resumeService() {
        if (running != null || !serviceArmed || serviceGlobs.isEmpty() || serviceTracker != null) {
            return;
        }
        serviceTracker = new RaceTracker(SERVICE_HOLD_NANOS, serviceSeed, true, RaceSites.INSTANCE::byId,
                this::seenInService);
        RaceSites.INSTANCE.activate(serviceTracker, serviceGlobs, List.of());
    }
}
