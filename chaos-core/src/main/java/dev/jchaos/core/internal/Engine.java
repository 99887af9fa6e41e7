package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;
import dev.jchaos.core.internal.races.RaceControl;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The controller. What is in force (rules, master switch, seed) is one immutable {@link State}, replaced as a whole by
 * each change under a writer lock that nothing on the class-loading path ever takes; points read it when they are
 * woven, and the points a change can affect are re-armed after it. Parsing, validation, class resolution and
 * retransformation happen before the lock is taken, firing takes no lock at all.
 */
public final class Engine implements ChaosController, Telemetry {

    private static final class Holder {
        static final Engine INSTANCE = new Engine(System.getProperties());
    }

    /** What is in force; {@code epoch} restarts every point's sequence of draws. */
    record State(Rules rules, boolean enabled, long seed, long epoch) {
        State with(Rules next) {
            return new State(next, enabled, seed, epoch);
        }
    }

    /** The action of a targeted point that no rule gives one; parsed when first needed, not at agent start. */
    private static final class TargetDefault {
        static final Program PROGRAM = Program.parse("delay(100ms)");
    }

    /**
     * The engine's once-a-second chores on the clock thread: halt conditions, then cooling. A class rather than two
     * lambdas: each lambda spun before {@code main} costs the JVM more than loading a small class.
     */
    private static final class Chores implements Runnable {
        private final Engine engine;

        Chores(Engine engine) {
            this.engine = engine;
        }

        @Override
        public void run() {
            try {
                engine.checkHalt();
            } finally {
                engine.cool(System.nanoTime());
            }
        }
    }

    /**
     * How long a disarmed point stays warm (under a nanosecond a call: one volatile read) before its call sites
     * are led back to no-ops. Re-arming a warm point is one write; arming a cold one deoptimises its callers.
     */
    static final long COLD_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private final ReentrantLock writer = new ReentrantLock();
    private volatile State state;
    private final PointRegistry registry;
    private final CopyOnWriteArrayList<BiConsumer<String, String>> changeListeners = new CopyOnWriteArrayList<>();
    private volatile long maxDelayNanos = Settings.DEFAULT_MAX_DELAY;
    private volatile boolean jmx = true;
    /** Classes whose collection call sites a running service watches ({@code jchaos.races}). */
    private volatile List<Glob> races = List.of();
    private volatile boolean threadSites;
    private volatile HaltConditions haltWhen = HaltConditions.NONE;
    private final LongAdder activationCount = new LongAdder();
    private final LongAdder haltCount = new LongAdder();
    /** Guarded by writer. */
    private long ruleSeq;
    private long ttlNanos;
    private long armings;
    private TtlTimer ttlTimer;
    /** -1 until first needed: reading the thread count loads the management classes. */
    private volatile long threadBaseline = -1;
    private volatile HubLink hub;
    private volatile Targeting targeting;

    private Engine(Properties props) {
        this.registry = new PointRegistry(this);
        this.state = new State(Rules.NONE, false, ThreadLocalRandom.current().nextLong(), 0);
        if (props == null) {
            return;
        }
        try {
            Settings settings = Settings.read(props);
            jmx = settings.jmx();
            threadSites = settings.threadSites();
            apply(settings, false);
        } catch (ChaosConfigException e) {
            Log.stderr("bad system property, nothing applied: " + Settings.describe(e));
            if (props == System.getProperties()) {
                // where the command line's attach reads it, to tell the operator rather than only this JVM's stderr
                System.setProperty(SETTINGS_ERROR_PROPERTY, Settings.describe(e).lines().findFirst().orElse(""));
            }
        }
    }

    /** Set when the {@code jchaos.*} properties this JVM started with were refused: the reason's first line. */
    public static final String SETTINGS_ERROR_PROPERTY = "jchaos.agent.settingsError";

    /** This class loader's engine: reads the {@code jchaos.*} properties once, starts nothing until attached. */
    public static Engine get() {
        return Holder.INSTANCE;
    }

    /** An engine of its own, for tests: reads no properties, registers nothing. */
    public static Engine standalone() {
        return new Engine(null);
    }

    /** An engine of its own that read {@code props} as the JVM's reads the system properties, for tests. */
    static Engine fromProperties(Properties props) {
        return new Engine(Objects.requireNonNull(props, "props"));
    }

    // ---------------------------------------------------------------- agent side

    /**
     * Makes this engine the JVM's controller, reachable from woven code in any class loader, and starts weaving,
     * unless another copy of jchaos already controls the JVM.
     *
     * @return false when another copy controls this JVM
     */
    public boolean attach(HubLink link, BiFunction<Engine, Instrumentation, Targeting> weaving, Instrumentation inst) {
        writer.lock();
        try {
            if (hub != null) {
                return true;
            }
            Supplier<Map<String, Object>> channel = Channel.lazy(this);
            if (!link.claim(channel)) {
                return false;
            }
            Channel.markOwn(channel);
            // the tracker's clock thread must exist before any thread baseline, or growth would count it
            TimeoutTracker.get().everySecond(new Chores(this));
            registry.attach(link);
            hub = link;
        } finally {
            writer.unlock();
        }
        targeting = weaving.apply(this, inst);
        if (!state.rules().list().isEmpty()) {
            targeting.begin(); // jchaos.points are in force from the start
        }
        RaceControl.get().attach(targeting, link);
        if (!races.isEmpty()) {
            RaceControl.get().service(races, state.seed(), state.enabled());
        }
        List<Glob> globs = new ArrayList<>();
        for (Rule rule : state.rules().list()) {
            globs.add(rule.glob());
        }
        // rules already in force: a throw their method cannot throw passes through, logged (Throwables.PerClass)
        requestTargets(globs, null, null, false);
        return true;
    }

    public boolean isAttached() {
        return hub != null;
    }

    /** Whether the {@code jchaos.jmx} property asks for the MBean. */
    public boolean jmxWanted() {
        return jmx;
    }

    /** Whether the {@code jchaos.threadSites} property asks for thread start sites to be recorded. */
    public boolean threadSitesWanted() {
        return threadSites;
    }

    /**
     * Registers a woven method of point {@code id} before its class is defined; weaving the same method again returns
     * its declaration. Takes no lock anything else holds while loading classes.
     */
    public Declaration declare(String id, String method, Program defaults, ClassLoader loader, String className,
                               String methodKey, List<String> exceptions) {
        return registry.declare(id, method, defaults, loader, className, methodKey, exceptions);
    }

    /** The hub key under which the weaver links a method about to be woven (see {@link #declare}). */
    public String keyFor(ClassLoader loader, String className, String methodKey) {
        return registry.keyFor(loader, className, methodKey);
    }

    /**
     * Registers a point declared by {@code declaredBy} ({@code fqcn#method}) as if that method, declared
     * {@code throws Exception}, had been woven (tests and benchmarks drive points without weaving).
     */
    public Point register(String id, String declaredBy, Program defaults, ClassLoader loader) {
        int hash = declaredBy.indexOf('#');
        String className = hash < 0 ? declaredBy : declaredBy.substring(0, hash);
        return declare(id, declaredBy, defaults, loader, className, declaredBy.substring(hash + 1) + "()V",
                List.of("java.lang.Exception")).point;
    }

    /** Arms or disarms {@code p} as the state in force says; loops until the state it applied is still current. */
    void refresh(Point p) {
        State applied;
        do {
            synchronized (p) {
                applied = state;
                Activation current = p.activation;
                Activation wanted = wanted(p, applied, current);
                if (wanted != current) {
                    p.switchTo(wanted);
                }
            }
        } while (applied != state);
    }

    private static Activation wanted(Point p, State s, Activation current) {
        Rule rule = s.enabled() ? s.rules().winner(p.id, p.aimedOnly()) : null;
        if (rule == null) {
            return null;
        }
        Program program = rule.program() != null ? rule.program() : p.defaults != null ? p.defaults : TargetDefault.PROGRAM;
        if (current != null && current.rule == rule && current.epoch == s.epoch() && current.program.equals(program)) {
            return current;
        }
        return new Activation(p, program, rule, s.epoch(), s.seed());
    }

    /**
     * Publishes {@code next} and re-arms the points it changes; caller holds the writer lock. When only rules were
     * added or removed, only the points those rules match can have a different winner, so the others are left alone
     * (activation stays cheap however many points a service declares).
     */
    private void publish(State next) {
        State before = state;
        state = next;
        // pairs with the volatile insertion of a point being woven: one of the two sees the other
        VarHandle.fullFence();
        if (before.enabled() != next.enabled() || before.seed() != next.seed() || before.epoch() != next.epoch()
                || !keptInOrder(before.rules(), next.rules())) {
            // the latest matching rule wins: kept rules in another order can change any point they match
            for (Point p : registry.all()) {
                refresh(p);
            }
            return;
        }
        List<Rule> touched = new ArrayList<>();
        for (Rule r : before.rules().list()) {
            if (indexOf(next.rules(), r) < 0) {
                touched.add(r);
            }
        }
        for (Rule r : next.rules().list()) {
            if (indexOf(before.rules(), r) < 0) {
                touched.add(r);
            }
        }
        boolean wildcard = false;
        for (Rule r : touched) {
            wildcard |= !r.glob().isPlain();
        }
        if (wildcard) {
            for (Point p : registry.all()) {
                for (Rule r : touched) {
                    if (r.glob().matches(p.id)) {
                        refresh(p);
                        break;
                    }
                }
            }
        } else {
            for (Rule r : touched) {
                Point p = registry.get(r.glob().text);
                if (p != null) {
                    refresh(p);
                }
            }
        }
    }

    /** Whether the rules {@code a} and {@code b} both hold (the same instances) come in the same order in each. */
    private static boolean keptInOrder(Rules a, Rules b) {
        int at = -1;
        for (Rule r : a.list()) {
            int found = indexOf(b, r);
            if (found >= 0) {
                if (found < at) {
                    return false;
                }
                at = found;
            }
        }
        return true;
    }

    /** Where {@code rule} itself (not an equal one) stands in {@code rules}, or -1. */
    private static int indexOf(Rules rules, Rule rule) {
        List<Rule> list = rules.list();
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k) == rule) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Cools the points disarmed for {@link #COLD_AFTER_NANOS} by {@code now}: their call sites become no-ops again.
     * The attached engine's clock thread calls it every second, so re-targeting runs there and not on a caller (the
     * compiled callers are recompiled once, dormant); an engine that never attaches keeps its points warm.
     *
     * @return how many points were cooled
     */
    int cool(long now) {
        int cooled = 0;
        for (Point p : registry.all()) {
            if (p.cool(now, COLD_AFTER_NANOS)) {
                cooled++;
            }
        }
        return cooled;
    }

    public Point point(String id) {
        return registry.get(id);
    }

    public void addPointListener(Consumer<? super Point> listener) {
        registry.addListener(listener);
    }

    /** Waits until point listeners have seen every point registered so far. */
    public void awaitListeners() {
        registry.drain();
    }

    /** Listens to every change: (type, description), on the thread that made it. */
    public void addChangeListener(BiConsumer<String, String> listener) {
        changeListeners.add(listener);
    }

    private void changed(String type, String description) {
        for (BiConsumer<String, String> listener : changeListeners) {
            try {
                listener.accept(type, description);
            } catch (RuntimeException e) {
                Guard.failed("a change listener (" + listener.getClass().getName() + ")", e);
            }
        }
    }

    TimeoutTracker timeouts() {
        return TimeoutTracker.get();
    }

    long maxDelay() {
        return maxDelayNanos;
    }

    // ---------------------------------------------------------------- Telemetry

    @Override
    public int activePointCount() {
        int n = 0;
        for (Point p : registry.all()) {
            if (p.activation != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long threadGrowth() {
        return liveThreads() - threadBaseline();
    }

    @Override
    public long races(String collection) {
        return RaceControl.get().count(collection);
    }

    @Override
    public long activationCount() {
        return activationCount.sum();
    }

    @Override
    public long haltCount() {
        return haltCount.sum();
    }

    @Override
    public void onPoint(Consumer<? super Telemetry.PointStats> listener) {
        registry.addListener(listener);
    }

    @Override
    public void onTimeoutSource(Consumer<? super Telemetry.SourceStats> listener) {
        TimeoutTracker.get().addSourceListener(listener::accept);
    }

    public long threadBaseline() {
        long baseline = threadBaseline;
        if (baseline < 0) {
            baseline = liveThreads();
            threadBaseline = baseline;
        }
        return baseline;
    }

    // ---------------------------------------------------------------- ChaosController

    @Override
    public boolean isEnabled() {
        return state.enabled();
    }

    @Override
    public void setEnabled(boolean on) {
        writer.lock();
        try {
            State s = state;
            if (s.enabled() == on) {
                return;
            }
            arm(on);
            publish(new State(s.rules(), on, s.seed(), on ? s.epoch() + 1 : s.epoch()));
        } finally {
            writer.unlock();
        }
        RaceControl.get().serviceArmed(on);
        changed("enabled", Boolean.toString(on));
    }

    /** Switching on takes the thread baseline and starts the ttl; switching off cancels it. Caller holds writer. */
    private void arm(boolean on) {
        if (on) {
            threadBaseline = liveThreads();
            armings++;
            scheduleTtl();
        } else {
            cancelTtl();
        }
    }

    @Override
    public void activate(String pattern, String actions) {
        Glob glob = Glob.of(Objects.requireNonNull(pattern, "pattern"));
        Program program = actions == null || actions.isBlank() ? null : Program.parse(actions);
        beginWeaving();
        requestTarget(glob, program, actions);
        validateThrows(glob, program, actions, state.rules().with(new Rule(glob, program, 0)));
        InjectionEvents.prepare();
        writer.lock();
        try {
            publish(state.with(state.rules().with(new Rule(glob, program, ++ruleSeq))));
        } finally {
            writer.unlock();
        }
        activationCount.increment();
        changed("activate", glob.text + "=" + (program == null ? "(declared defaults)" : program));
    }

    @Override
    public void deactivate(String pattern) {
        Glob glob = Glob.of(Objects.requireNonNull(pattern, "pattern"));
        writer.lock();
        try {
            publish(state.with(state.rules().without(glob)));
        } finally {
            writer.unlock();
        }
        changed("deactivate", glob.text);
    }

    @Override
    public void deactivateAll() {
        writer.lock();
        try {
            publish(state.with(Rules.NONE));
        } finally {
            writer.unlock();
        }
        RaceControl.get().killSwitch();
        changed("deactivateAll", "all points deactivated");
    }

    @Override
    public void setActivations(Map<String, String> wanted) {
        Objects.requireNonNull(wanted, "activations");
        List<Glob> globs = new ArrayList<>();
        List<Program> programs = new ArrayList<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String actions = e.getValue();
            globs.add(Glob.of(Objects.requireNonNull(e.getKey(), "pattern")));
            programs.add(actions == null || actions.isBlank() ? null : Program.parse(actions));
        }
        List<String> texts = new ArrayList<>(wanted.values());
        if (!wanted.isEmpty()) {
            beginWeaving();
        }
        requestTargets(globs, programs, texts, true);
        Rules after = proposed(globs, programs);
        for (int i = 0; i < globs.size(); i++) {
            validateThrows(globs.get(i), programs.get(i), texts.get(i), after);
        }
        InjectionEvents.prepare();
        writer.lock();
        try {
            Rules current = state.rules();
            List<Rule> next = new ArrayList<>();
            for (int i = 0; i < globs.size(); i++) {
                Rule kept = current.find(globs.get(i).text, programs.get(i));
                next.add(kept != null ? kept : new Rule(globs.get(i), programs.get(i), ++ruleSeq));
            }
            publish(state.with(Rules.of(next)));
        } finally {
            writer.unlock();
        }
        if (!wanted.isEmpty()) {
            activationCount.increment();
        }
        changed("activate", "activations replaced: " + wanted);
    }

    @Override
    public void reloadFromSystemProperties() {
        Settings settings = Settings.read(System.getProperties());
        String timeoutTypes = System.getProperty(TimeoutTypes.PROPERTY);
        TimeoutTypes.parse(timeoutTypes); // validated before anything is applied
        apply(settings, true);
        TimeoutTracker.get().setTimeoutTypes(timeoutTypes);
        threadSites = settings.threadSites();
        if (threadSites && hub != null) {
            dev.jchaos.core.internal.threads.ThreadSites.start();
        }
        if (!settings.points().isEmpty()) {
            activationCount.increment();
        }
        changed("reload", "settings reloaded from system properties");
    }

    private void apply(Settings s, boolean strict) {
        List<Glob> globs = new ArrayList<>();
        List<Program> programs = new ArrayList<>();
        for (ConfigEntry entry : s.points()) {
            globs.add(new Glob(entry.pattern()));
            programs.add(entry.program());
        }
        List<String> texts = new ArrayList<>();
        for (Program program : programs) {
            texts.add(program.toString());
        }
        if (!globs.isEmpty()) {
            beginWeaving();
        }
        requestTargets(globs, programs, texts, strict);
        Rules after = proposed(globs, programs);
        for (int i = 0; i < globs.size(); i++) {
            validateThrows(globs.get(i), programs.get(i), texts.get(i), after);
        }
        writer.lock();
        try {
            Rules rules = Rules.NONE;
            for (int i = 0; i < globs.size(); i++) {
                rules = rules.with(new Rule(globs.get(i), programs.get(i), ++ruleSeq));
            }
            State before = state;
            long seed = s.seed() != null ? s.seed() : before.seed();
            long epoch = before.epoch() + (s.seed() != null ? 1 : 0);
            maxDelayNanos = s.maxDelayNanos();
            ttlNanos = s.ttlNanos();
            haltWhen = s.haltWhen();
            if (s.enabled() != before.enabled()) {
                arm(s.enabled());
                epoch += s.enabled() ? 1 : 0;
            } else if (s.enabled()) {
                scheduleTtl(); // a reload re-arms the ttl from now
            }
            publish(new State(rules, s.enabled(), seed, epoch));
            races = s.races();
        } finally {
            writer.unlock();
        }
        if (hub != null) {
            RaceControl.get().service(s.races(), seed(), s.enabled());
        }
    }

    @Override
    public List<PointSnapshot> points() {
        beginWeaving();
        List<PointSnapshot> result = new ArrayList<>();
        for (Point p : registry.all()) {
            result.add(p.snapshot());
        }
        result.sort(Comparator.comparing(PointSnapshot::id));
        return result;
    }

    @Override
    public Map<String, String> activations() {
        return state.rules().asMap();
    }

    @Override
    public long seed() {
        return state.seed();
    }

    @Override
    public void setSeed(long newSeed) {
        writer.lock();
        try {
            State s = state;
            publish(new State(s.rules(), s.enabled(), newSeed, s.epoch() + 1));
        } finally {
            writer.unlock();
        }
        changed("seed", Long.toString(newSeed));
    }

    /** The cap on a single delay or hang, in nanoseconds. */
    public long maxDelayNanos() {
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

    /** Sets the ttl: everything is disarmed this long after arming; 0 for none. Applies to the arming in force. */
    public void setTtl(long nanos) {
        writer.lock();
        try {
            ttlNanos = Math.max(0, nanos);
            if (state.enabled()) {
                scheduleTtl();
            }
        } finally {
            writer.unlock();
        }
    }

    @Override
    public Duration ttl() {
        writer.lock();
        try {
            return Duration.ofNanos(ttlNanos);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void setTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative but was " + ttl);
        }
        setTtl(ttl.toNanos());
        changed("ttl", ttl.isZero() ? "no ttl" : "ttl " + Durations.format(ttl.toNanos()));
    }

    @Override
    public String haltWhen() {
        return haltWhen.toString();
    }

    @Override
    public void setHaltWhen(String conditions) {
        HaltConditions parsed = HaltConditions.parse(conditions);
        haltWhen = parsed;
        changed("haltWhen", parsed.isEmpty() ? "no halt conditions" : parsed.toString());
    }

    /**
     * Checks the halt conditions if chaos is armed (the clock thread calls it every second); a breach pulls the kill
     * switch and turns the master switch off.
     *
     * @return the breach, or null
     */
    String checkHalt() {
        HaltConditions conditions = haltWhen;
        if (conditions.isEmpty() || !state.enabled()) {
            return null;
        }
        String breach = conditions.breach(readings);
        if (breach != null) {
            halt(breach);
        }
        return breach;
    }

    private final HaltConditions.Readings readings = new HaltConditions.Readings() {
        @Override
        public long threadGrowth() {
            return Engine.this.threadGrowth();
        }

        @Override
        public long inFlight() {
            long sum = 0;
            for (Point p : registry.all()) {
                sum += p.inFlight();
            }
            return sum;
        }

        @Override
        public double timeoutRate(String source) {
            return timeouts().rate(source);
        }

        @Override
        public List<String> timeoutSources() {
            List<String> names = new ArrayList<>();
            for (TimeoutTracker.Source source : timeouts().sources()) {
                names.add(source.name());
            }
            return names;
        }
    };

    private void halt(String breach) {
        writer.lock();
        try {
            State s = state;
            if (!s.enabled()) {
                return;
            }
            cancelTtl();
            publish(new State(Rules.NONE, false, s.seed(), s.epoch()));
        } finally {
            writer.unlock();
        }
        haltCount.increment();
        Log.stderr("halted: " + breach);
        changed("halt", breach);
        changed("enabled", "false");
    }

    // ---------------------------------------------------------------- internals

    /**
     * Makes sure the agent weaves before points are listed or activated: an agent started with the JVM and nothing to
     * do waits for this, so that until chaos is used no class is handed to a transformer.
     */
    private void beginWeaving() {
        Targeting t = targeting;
        if (t != null) {
            t.begin();
        }
    }

    /** Checks {@code throw(..)} against the methods {@code glob} would decide once {@code after} is in force. */
    private void validateThrows(Glob glob, Program program, String text, Rules after) {
        if (program == null || !program.throwsAny) {
            return;
        }
        List<Point> covered = new ArrayList<>();
        for (Point p : registry.all()) {
            if (after.decidable(p.id, p.aimedOnly())) {
                covered.add(p);
            }
        }
        Throwables.validate(glob, program, text, covered);
    }

    /** The rules {@code globs} with {@code programs} would be once in force, for validating before applying. */
    private static Rules proposed(List<Glob> globs, List<Program> programs) {
        List<Rule> rules = new ArrayList<>(globs.size());
        for (int i = 0; i < globs.size(); i++) {
            rules.add(new Rule(globs.get(i), programs.get(i), 0));
        }
        return Rules.of(rules);
    }

    private void requestTarget(Glob glob, Program program, String text) {
        if (registry.get(glob.text) == null) { // a point already has nothing to ask for
            requestTargets(List.of(glob), Collections.singletonList(program),
                    Collections.singletonList(text), true);
        }
    }

    /**
     * Asks the agent to weave the {@code fqcn#method} patterns of {@code globs} that are not points yet, in one
     * batch; a {@code throw(..)} of {@code programs} (written as {@code texts}; null: not checked here) that a loaded
     * target's method could not throw refuses the batch before anything is woven.
     */
    private void requestTargets(List<Glob> globs, List<Program> programs, List<String> texts, boolean strict) {
        Map<String, Integer> index = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < globs.size(); i++) {
            String pattern = globs.get(i).text;
            index.put(pattern, i);
            int hash = pattern.indexOf('#');
            if (pattern.indexOf('*') >= 0 || hash <= 0 || hash == pattern.length() - 1
                    || registry.get(pattern) != null) {
                continue;
            }
            String className = pattern.substring(0, hash);
            String method = pattern.substring(hash + 1);
            if (isJavaName(className) && Character.isJavaIdentifierStart(method.charAt(0))) {
                ids.add(pattern);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Targeting t = targeting;
        if (t == null) {
            if (strict) {
                Log.warnOnce("no-agent", "activated " + ids.get(0) + " but the jchaos agent is not installed:"
                        + " nothing is woven (use -javaagent:chaos-core-agent.jar or Chaos.installAgent())");
            }
            return;
        }
        List<String> fresh = new ArrayList<>();
        for (String id : ids) {
            int hash = id.indexOf('#');
            if (!t.isTargeted(id.substring(0, hash), id.substring(hash + 1))) {
                fresh.add(id);
            }
        }
        if (!fresh.isEmpty()) {
            boolean throwsAny = false;
            for (int i = 0; programs != null && i < programs.size(); i++) {
                throwsAny |= programs.get(i) != null && programs.get(i).throwsAny;
            }
            t.target(fresh, strict, !throwsAny ? null : (id, methods) -> {
                int i = index.get(id);
                return Throwables.refusal(programs.get(i), texts.get(i), methods);
            });
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

    /** Caller holds writer. */
    private void scheduleTtl() {
        long arming = armings;
        long ttl = ttlNanos;
        ttlTimer().schedule(ttl, () -> expire(arming, ttl));
    }

    /** Caller holds writer. */
    private void cancelTtl() {
        if (ttlTimer != null) {
            ttlTimer.cancel();
        }
    }

    private TtlTimer ttlTimer() {
        if (ttlTimer == null) {
            ttlTimer = new TtlTimer();
        }
        return ttlTimer;
    }

    private void expire(long arming, long ttl) {
        writer.lock();
        try {
            State s = state;
            if (!s.enabled() || armings != arming) {
                return;
            }
            publish(new State(Rules.NONE, false, s.seed(), s.epoch()));
        } finally {
            writer.unlock();
        }
        RaceControl.get().killSwitch();
        Log.stderr("ttl of " + Durations.format(ttl) + " expired: chaos disarmed, all points deactivated");
        changed("ttl", "ttl of " + Durations.format(ttl) + " expired");
        changed("enabled", "false");
    }

    private static long liveThreads() {
        try {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        } catch (RuntimeException | LinkageError e) {
            return Thread.activeCount();
        }
    }
}
