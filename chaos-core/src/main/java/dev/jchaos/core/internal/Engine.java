package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;
import dev.jchaos.core.internal.jmx.ChaosMBean;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MutableCallSite;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The controller: points by id, activations by pattern, the master switch, seed, caps and ttl. Changes are made under
 * one lock and published by re-targeting the points' call sites; firing takes no lock.
 */
public final class Engine implements ChaosController {

    private static final class Holder {
        static final Engine INSTANCE = new Engine(System.getProperties(), true);
    }

    private final Object lock = new Object();
    private final ConcurrentHashMap<String, Point> points = new ConcurrentHashMap<>();
    /** Oldest first; guarded by lock. */
    private final List<Rule> rules = new ArrayList<>();
    private long ruleSeq;
    private long epoch;
    private volatile boolean enabled;
    private volatile long seed = ThreadLocalRandom.current().nextLong();
    private volatile long maxDelayNanos = Settings.DEFAULT_MAX_DELAY;
    private volatile long ttlNanos;
    private ScheduledFuture<?> ttlTask;
    private ScheduledThreadPoolExecutor ttlTimer;
    /** -1 until first needed: reading the thread count loads the management classes. */
    private volatile long threadBaseline = -1;
    private volatile Thread jmxThread;
    private volatile HubLink hub;
    private volatile Targeting targeting;
    private final CopyOnWriteArrayList<Consumer<Point>> pointListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<BiConsumer<String, String>> changeListeners = new CopyOnWriteArrayList<>();

    Engine(java.util.Properties props, boolean registerMBean) {
        // the tracker's clock thread must exist before any baseline, or growth would count it
        TimeoutTracker.get();
        if (props != null) {
            Settings settings = null;
            try {
                settings = Settings.read(props);
            } catch (ChaosConfigException e) {
                Log.stderr("bad system property, nothing applied: " + Settings.describe(e));
            }
            if (settings != null) {
                try {
                    apply(settings, false);
                } catch (ChaosConfigException e) {
                    Log.stderr("bad system property, nothing applied: " + Settings.describe(e));
                }
            }
            if (registerMBean && (settings == null || settings.jmx())) {
                // the platform MBean server costs a few hundred milliseconds to create: not on the start-up path
                Thread jmx = new Thread(() -> ChaosMBean.register(this), "jchaos-jmx");
                jmx.setDaemon(true);
                jmxThread = jmx;
                jmx.start();
                return;
            }
        }
    }

    /**
     * Waits (a bounded time) until the MBean is registered and its thread is gone, so callers of the API can rely on
     * the MBean and thread counts taken afterwards do not see the registering thread.
     */
    public void awaitMBean() {
        Thread jmx = jmxThread;
        if (jmx == null) {
            return;
        }
        try {
            jmx.join(TimeUnit.SECONDS.toMillis(10));
            if (jmx.isAlive()) {
                Log.warnOnce("jmx-slow", "the " + ChaosMBean.NAME + " MBean is not registered after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This class loader's engine. */
    public static Engine get() {
        return Holder.INSTANCE;
    }

    /** An engine of its own, for tests: reads no properties, registers no MBean. */
    public static Engine standalone() {
        return new Engine(null, false);
    }

    // ---------------------------------------------------------------- agent side

    /**
     * Makes this engine the JVM's controller, reachable from woven code in any class loader, unless another copy
     * of jchaos already is.
     *
     * @return false when another copy controls this JVM
     */
    public boolean attach(HubLink link, Function2<Engine, Instrumentation, Targeting> weaving, Instrumentation inst) {
        synchronized (lock) {
            if (hub != null) {
                return true;
            }
            if (!link.claimController(channel()) && link.controller() != null) {
                return false;
            }
            this.hub = link;
            Targeting t = weaving.apply(this, inst);
            this.targeting = t;
            for (Rule rule : rules) {
                requestTarget(rule.glob().text, false);
            }
            return true;
        }
    }

    /** A function of two arguments, to keep this class free of the agent's types. */
    @FunctionalInterface
    public interface Function2<A, B, R> {
        R apply(A a, B b);
    }

    public boolean isAttached() {
        return hub != null;
    }

    /**
     * Registers a point declared by {@code declaredBy} (or adds a declaration to a known one). Called by the
     * weaver before the woven class is defined.
     */
    public Point register(String id, String declaredBy, Program defaults, ClassLoader loader) {
        Point point = points.get(id);
        boolean created = false;
        if (point == null) {
            synchronized (lock) {
                point = points.get(id);
                if (point == null) {
                    HubLink link = hub;
                    MutableCallSite enter = link != null ? link.enterSite(id) : new MutableCallSite(Point.NOOP_ENTER);
                    MutableCallSite exit = link != null ? link.exitSite(id) : new MutableCallSite(Point.NOOP_EXIT);
                    point = new Point(this, id, enter, exit);
                    point.defaults = defaults;
                    point.declare(declaredBy, loader);
                    points.put(id, point);
                    update(point);
                    created = true;
                }
            }
        }
        if (!created) {
            point.declare(declaredBy, loader);
            if (point.defaults == null && defaults != null) {
                point.defaults = defaults;
            }
            return point;
        }
        for (Consumer<Point> listener : pointListeners) {
            notifyPoint(listener, point);
        }
        return point;
    }

    public void addPointListener(Consumer<Point> listener) {
        pointListeners.add(listener);
        for (Point p : points.values()) {
            notifyPoint(listener, p);
        }
    }

    private static void notifyPoint(Consumer<Point> listener, Point p) {
        try {
            listener.accept(p);
        } catch (RuntimeException e) {
            Log.warnOnce("point-listener:" + listener.getClass().getName(), "a point listener failed", e);
        }
    }

    /** Listens to every change: (type, description). */
    public void addChangeListener(BiConsumer<String, String> listener) {
        changeListeners.add(listener);
    }

    private void changed(String type, String description) {
        for (BiConsumer<String, String> listener : changeListeners) {
            try {
                listener.accept(type, description);
            } catch (RuntimeException e) {
                Log.warnOnce("change-listener:" + listener.getClass().getName(), "a change listener failed", e);
            }
        }
    }

    public Point point(String id) {
        return points.get(id);
    }

    public int activePointCount() {
        int n = 0;
        for (Point p : points.values()) {
            if (p.activation != null) {
                n++;
            }
        }
        return n;
    }

    public long threadBaseline() {
        long baseline = threadBaseline;
        if (baseline < 0) {
            synchronized (lock) {
                baseline = threadBaseline;
                if (baseline < 0) {
                    baseline = liveThreads();
                    threadBaseline = baseline;
                }
            }
        }
        return baseline;
    }

    long maxDelayNanos() {
        return maxDelayNanos;
    }

    static List<ClassLoader> fallbackLoaders() {
        List<ClassLoader> result = new ArrayList<>(3);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            result.add(context);
        }
        result.add(ClassLoader.getSystemClassLoader());
        ClassLoader own = Engine.class.getClassLoader();
        if (own != null && !result.contains(own)) {
            result.add(own);
        }
        return result;
    }

    // ---------------------------------------------------------------- ChaosController

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean on) {
        synchronized (lock) {
            if (enabled == on) {
                return;
            }
            setEnabledLocked(on);
            updateAll();
        }
        changed("enabled", Boolean.toString(on));
    }

    private void setEnabledLocked(boolean on) {
        enabled = on;
        if (on) {
            epoch++;
            threadBaseline = liveThreads();
            scheduleTtl();
        } else if (ttlTask != null) {
            ttlTask.cancel(false);
            ttlTask = null;
        }
    }

    @Override
    public void activate(String pattern, String actions) {
        Glob glob = Glob.of(Objects.requireNonNull(pattern, "pattern"));
        Program program = actions == null || actions.isBlank() ? null : Program.parse(actions);
        synchronized (lock) {
            validateThrows(glob, program, actions);
            requestTarget(glob.text, true);
            rules.removeIf(r -> r.glob().text.equals(glob.text));
            rules.add(new Rule(glob, program, ++ruleSeq));
            updateAll();
        }
        changed("activate", glob.text + "=" + (program == null ? "(declared defaults)" : program));
    }

    @Override
    public void deactivate(String pattern) {
        Glob glob = Glob.of(Objects.requireNonNull(pattern, "pattern"));
        synchronized (lock) {
            rules.removeIf(r -> r.glob().text.equals(glob.text) || glob.matches(r.glob().text));
            updateAll();
        }
        changed("deactivate", glob.text);
    }

    @Override
    public void deactivateAll() {
        synchronized (lock) {
            rules.clear();
            updateAll();
        }
        changed("deactivateAll", "all points deactivated");
    }

    @Override
    public void reloadFromSystemProperties() {
        Settings settings = Settings.read(System.getProperties());
        String timeoutTypes = System.getProperty("jchaos.timeoutTypes");
        TimeoutTypes.parse(timeoutTypes); // validated before anything is applied
        apply(settings, true);
        TimeoutTracker.get().setTimeoutTypes(timeoutTypes);
        changed("reload", "settings reloaded from system properties");
    }

    private void apply(Settings s, boolean strict) {
        List<Rule> next = new ArrayList<>();
        synchronized (lock) {
            long seq = ruleSeq;
            for (ConfigEntry entry : s.points()) {
                Glob glob = new Glob(entry.pattern());
                validateThrows(glob, entry.program(), entry.program().toString());
                next.removeIf(r -> r.glob().text.equals(glob.text));
                next.add(new Rule(glob, entry.program(), ++seq));
            }
            for (Rule rule : next) {
                requestTarget(rule.glob().text, strict);
            }
            ruleSeq = seq;
            rules.clear();
            rules.addAll(next);
            if (s.seed() != null) {
                seed = s.seed();
                epoch++;
            }
            maxDelayNanos = s.maxDelayNanos();
            ttlNanos = s.ttlNanos();
            if (enabled != s.enabled()) {
                setEnabledLocked(s.enabled());
            } else if (enabled) {
                scheduleTtl();
            }
            updateAll();
        }
    }

    @Override
    public List<PointSnapshot> points() {
        List<PointSnapshot> result = new ArrayList<>();
        for (Point p : points.values()) {
            result.add(p.snapshot());
        }
        result.sort(Comparator.comparing(PointSnapshot::id));
        return result;
    }

    @Override
    public Map<String, String> activations() {
        synchronized (lock) {
            Map<String, String> result = new LinkedHashMap<>();
            for (Rule r : rules) {
                result.put(r.glob().text, r.actionsText());
            }
            return result;
        }
    }

    @Override
    public void setActivations(Map<String, String> wanted) {
        Objects.requireNonNull(wanted, "activations");
        List<Glob> globs = new ArrayList<>();
        List<Program> programs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String actions = e.getValue();
            globs.add(Glob.of(Objects.requireNonNull(e.getKey(), "pattern")));
            programs.add(actions == null || actions.isBlank() ? null : Program.parse(actions));
            texts.add(actions);
        }
        synchronized (lock) {
            for (int i = 0; i < globs.size(); i++) {
                validateThrows(globs.get(i), programs.get(i), texts.get(i));
            }
            List<Rule> next = new ArrayList<>();
            for (int i = 0; i < globs.size(); i++) {
                Glob glob = globs.get(i);
                Program program = programs.get(i);
                Rule kept = null;
                for (Rule r : rules) {
                    if (r.glob().text.equals(glob.text) && Objects.equals(r.program(), program)) {
                        kept = r;
                    }
                }
                next.add(kept != null ? kept : new Rule(glob, program, ++ruleSeq));
            }
            for (Rule rule : next) {
                requestTarget(rule.glob().text, true);
            }
            rules.clear();
            rules.addAll(next);
            updateAll();
        }
        changed("activate", "activations replaced: " + wanted);
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public void setSeed(long newSeed) {
        synchronized (lock) {
            seed = newSeed;
            epoch++;
            updateAll();
        }
        changed("seed", Long.toString(newSeed));
    }

    /** The cap on a single delay or hang, in nanoseconds. */
    public long maxDelay() {
        return maxDelayNanos;
    }

    /** Sets the cap on a single delay or hang. */
    public void setMaxDelay(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("maxDelay must be longer than zero but was " + nanos + "ns");
        }
        maxDelayNanos = nanos;
        changed("maxDelay", Durations.format(nanos));
    }

    // ---------------------------------------------------------------- internals

    /** Re-targets every point; caller holds the lock. */
    private void updateAll() {
        for (Point p : points.values()) {
            update(p);
        }
    }

    /** Re-targets one point to what the rules say now; caller holds the lock. */
    private void update(Point p) {
        Rule rule = null;
        if (enabled) {
            for (int i = rules.size() - 1; i >= 0; i--) {
                if (rules.get(i).glob().matches(p.id)) {
                    rule = rules.get(i);
                    break;
                }
            }
        }
        Activation current = p.activation;
        if (rule == null) {
            if (current != null) {
                p.switchTo(null);
            }
            return;
        }
        Program program = rule.program() != null ? rule.program() : p.defaults != null ? p.defaults
                : Defaults.TARGET_DEFAULT;
        if (current != null && current.ruleSeq == rule.seq() && current.epoch == epoch
                && current.program.equals(program)) {
            return;
        }
        p.switchTo(new Activation(p, program, rule.seq(), epoch, seed));
    }

    private void validateThrows(Glob glob, Program program, String text) {
        if (program == null) {
            return;
        }
        for (Term term : program.terms) {
            Task task = term.task;
            if (task.kind != Task.Kind.THROW) {
                continue;
            }
            List<ClassLoader> loaders = new ArrayList<>();
            for (Point p : points.values()) {
                if (glob.matches(p.id)) {
                    loaders.addAll(p.candidateLoaders());
                }
            }
            loaders.addAll(fallbackLoaders());
            String problem = Throwables.problem(task.exceptionClass, task.message, loaders);
            if (problem != null) {
                int at = text == null ? -1 : text.indexOf(task.exceptionClass);
                throw new ChaosConfigException(text, at + 1, problem);
            }
        }
    }

    private void requestTarget(String pattern, boolean strict) {
        int hash = pattern.indexOf('#');
        if (pattern.indexOf('*') >= 0 || hash <= 0 || hash == pattern.length() - 1 || points.containsKey(pattern)) {
            return;
        }
        String className = pattern.substring(0, hash);
        String method = pattern.substring(hash + 1);
        if (!isJavaName(className) || !Character.isJavaIdentifierStart(method.charAt(0))) {
            return;
        }
        Targeting t = targeting;
        if (t == null) {
            if (strict) {
                Log.warnOnce("no-agent:" + pattern, "activated " + pattern + " but the jchaos agent is not installed:"
                        + " nothing is woven (use -javaagent:chaos-core-agent.jar or Chaos.installAgent())");
            }
            return;
        }
        if (!t.isTargeted(className, method)) {
            t.target(pattern, className, method, strict);
        }
    }

    private static boolean isJavaName(String name) {
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
        }
        return true;
    }

    private void scheduleTtl() {
        if (ttlTask != null) {
            ttlTask.cancel(false);
            ttlTask = null;
        }
        long ttl = ttlNanos;
        if (ttl <= 0 || !enabled) {
            return;
        }
        if (ttlTimer == null) {
            ttlTimer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "jchaos-ttl");
                t.setDaemon(true);
                return t;
            });
            ttlTimer.setRemoveOnCancelPolicy(true);
            ttlTimer.setKeepAliveTime(1, TimeUnit.SECONDS);
            ttlTimer.allowCoreThreadTimeOut(true);
        }
        long armedEpoch = epoch;
        ttlTask = ttlTimer.schedule(() -> expire(armedEpoch, ttl), ttl, TimeUnit.NANOSECONDS);
    }

    private void expire(long armedEpoch, long ttl) {
        synchronized (lock) {
            if (!enabled || epoch != armedEpoch) {
                return;
            }
            ttlTask = null;
            rules.clear();
            setEnabledLocked(false);
            updateAll();
        }
        Log.stderr("ttl of " + Durations.format(ttl) + " expired: chaos disarmed, all points deactivated");
        changed("ttl", "ttl of " + Durations.format(ttl) + " expired");
    }

    private static long liveThreads() {
        try {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        } catch (RuntimeException | LinkageError e) {
            return Thread.activeCount();
        }
    }

    /** Sets the ttl applied at the next arming (tests and the Java API). */
    public void setTtl(long nanos) {
        synchronized (lock) {
            ttlNanos = Math.max(0, nanos);
            if (enabled) {
                scheduleTtl();
            }
        }
    }

    // ---------------------------------------------------------------- channel for other copies

    /**
     * The command channel other copies of jchaos (in other class loaders) use: JDK types only.
     */
    private BiFunction<String, Object[], Object> channel() {
        return (command, args) -> {
            try {
                switch (command) {
                    case "isEnabled":
                        return isEnabled();
                    case "setEnabled":
                        setEnabled((Boolean) args[0]);
                        return null;
                    case "activate":
                        activate((String) args[0], (String) args[1]);
                        return null;
                    case "deactivate":
                        deactivate((String) args[0]);
                        return null;
                    case "deactivateAll":
                        deactivateAll();
                        return null;
                    case "reload":
                        reloadFromSystemProperties();
                        return null;
                    case "points": {
                        List<Object[]> rows = new ArrayList<>();
                        for (PointSnapshot s : points()) {
                            rows.add(new Object[] {s.id(), s.declaredBy(), s.actions(), s.calls(), s.injections(),
                                s.injectedNanos(), s.inFlight()});
                        }
                        return rows;
                    }
                    case "activations":
                        return activations();
                    case "setActivations": {
                        @SuppressWarnings("unchecked")
                        Map<String, String> wanted = (Map<String, String>) args[0];
                        setActivations(wanted);
                        return null;
                    }
                    case "seed":
                        return seed();
                    case "setSeed":
                        setSeed((Long) args[0]);
                        return null;
                    case "timeout":
                        TimeoutTracker.get().source((String) args[0]).record((Boolean) args[1]);
                        return null;
                    default:
                        throw new IllegalArgumentException("unknown jchaos command " + command);
                }
            } catch (ChaosConfigException e) {
                return new Object[] {"ChaosConfigException", e.input(), e.column(), e.reason()};
            }
        };
    }

    /** The declared defaults of points no annotation declares. */
    static final class Defaults {
        static final Program TARGET_DEFAULT = Program.parse("delay(100ms)");

        private Defaults() {
        }
    }
}
