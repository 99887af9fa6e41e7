package dev.jchaos.core.internal;

import dev.jchaos.core.PointSnapshot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A delay point: its woven methods, the activation its call sites lead to, its statistics and the threads it holds.
 * Its counters belong to the point, not to an activation, so they stay exact and never run backwards while
 * activations are switched under load.
 */
public final class Point implements Telemetry.PointStats {

    static final MethodHandle NOOP_ENTER = MethodHandles.empty(MethodType.methodType(void.class));
    static final MethodHandle NOOP_EXIT = MethodHandles.empty(MethodType.methodType(void.class, Throwable.class));

    final String id;
    /** The id's share of the seeded draws (see {@link Rng#idHash}). */
    final long idHash;
    final Engine engine;
    final CallCounter calls = new CallCounter();
    private final CopyOnWriteArrayList<Declaration> declarations = new CopyOnWriteArrayList<>();
    volatile Program defaults;
    /** Changed only under this point's monitor; read by woven calls through the call sites. */
    volatile Activation activation;
    /** Whether the call sites lead to the armed entry and exit; changed only under this point's monitor. */
    private volatile boolean warm;
    /** When the point was last disarmed; guarded by this point's monitor. */
    private long disarmedAt;

    private final LongAdder[] injections = new LongAdder[Task.Kind.values().length];
    private final LongAdder injectedNanos = new LongAdder();
    private final LongAdder injectedWaits = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    private final TimeoutTracker.Source timeoutSource;

    Point(Engine engine, String id, Program defaults) {
        this.engine = engine;
        this.id = id;
        this.idHash = Rng.idHash(id);
        this.defaults = defaults;
        for (int i = 0; i < injections.length; i++) {
            injections[i] = new LongAdder();
        }
        this.timeoutSource = engine.timeouts().pointSource("point:" + id, calls);
    }

    @Override
    public String id() {
        return id;
    }

    /** The first method that declared this point, {@code fqcn#method}. */
    public String declaredBy() {
        for (Declaration d : declarations) {
            return d.method;
        }
        return id;
    }

    /** The woven methods of this point, oldest first. */
    List<Declaration> declarations() {
        return declarations;
    }

    @Override
    public long calls() {
        return calls.sum();
    }

    public long injections() {
        long sum = 0;
        for (LongAdder adder : injections) {
            sum += adder.sum();
        }
        return sum;
    }

    @Override
    public long injections(String action) {
        for (Task.Kind kind : Task.Kind.values()) {
            if (kind.word().equals(action)) {
                return injections[kind.ordinal()].sum();
            }
        }
        throw new IllegalArgumentException("unknown action '" + action + "': expected delay, hang or throw");
    }

    @Override
    public long injectedNanos() {
        return injectedNanos.sum();
    }

    @Override
    public long injectedWaits() {
        return injectedWaits.sum();
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    public TimeoutTracker.Source timeoutSource() {
        return timeoutSource;
    }

    /** Whether no {@code @InjectDelay} declares this point: it exists because a pattern aimed at its method. */
    boolean aimedOnly() {
        return defaults == null;
    }

    /** The active actions, or null. */
    public String actions() {
        Activation a = activation;
        return a == null ? null : a.program.toString();
    }

    PointSnapshot snapshot() {
        return new PointSnapshot(id, declaredBy(), actions(), calls(), injections(), injectedNanos(), inFlight());
    }

    /** Adds a woven method and points its call sites where the point's other methods lead. */
    synchronized void add(Declaration declaration, Program declaredDefaults) {
        if (defaults == null && declaredDefaults != null) {
            defaults = declaredDefaults;
        }
        declarations.add(declaration);
        if (warm) {
            declaration.enterSite.setTarget(declaration.armedEnter());
            declaration.exitSite.setTarget(declaration.armedExit());
        }
        engine.refresh(this);
    }

    /** Drops a woven method whose class loader is gone. */
    synchronized void drop(Declaration declaration) {
        declarations.remove(declaration);
    }

    void injected(Task.Kind kind) {
        injections[kind.ordinal()].increment();
    }

    /** A call at an armed point ended by throwing {@code thrown}: a timeout counts in the point's rate. */
    void thrown(Throwable thrown) {
        if (engine.timeouts().isTimeout(thrown)) {
            timeoutSource.recordTimeout();
        }
    }

    /** Holds the calling thread for {@code nanos}, until released by a change, or until interrupted. */
    void hold(Activation activation, Task.Kind kind, long nanos) {
        injected(kind);
        Thread self = Thread.currentThread();
        waiters.add(self);
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        long deadline = start + nanos;
        try {
            while (!activation.released && !self.isInterrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(activation, left);
            }
        } finally {
            waiters.remove(self);
            inFlight.decrementAndGet();
            injectedNanos.add(System.nanoTime() - start);
            injectedWaits.increment();
        }
    }

    void wakeAll() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Makes {@code next} (or nothing) the activation in force and releases the previous one; caller holds the
     * monitor. Arming a cold point leads its call sites to the armed entry and exit, which deoptimises the code
     * compiled against them; from then on the point is warm, and arming, re-arming and disarming it are one volatile
     * write that hot callers see on their next call. A point that stays disarmed is cooled by {@link #cool}.
     */
    void switchTo(Activation next) {
        if (next != null && !warm) {
            lead(true); // first: should it fail, nothing was switched (the armed entry finds no activation yet)
        }
        Activation previous = activation;
        activation = next;
        if (next == null) {
            disarmedAt = System.nanoTime();
        }
        if (previous != null) {
            previous.release();
        }
    }

    /**
     * Leads the call sites back to no-ops (dormant: nothing left to pay on a call) if the point has been disarmed
     * since {@code coldAfter} nanoseconds before {@code now}.
     *
     * @return whether the point was cooled
     */
    boolean cool(long now, long coldAfter) {
        if (!warm) {
            return false;
        }
        synchronized (this) {
            if (!warm || activation != null || now - disarmedAt < coldAfter) {
                return false;
            }
            lead(false);
            return true;
        }
    }

    /** Whether calls go through the armed entry and exit, armed or not. */
    boolean isWarm() {
        return warm;
    }

    /** Points every call site at the armed entry and exit, or at no-ops; caller holds the monitor. */
    private void lead(boolean armed) {
        List<MutableCallSite> sites = new ArrayList<>(declarations.size() * 2);
        for (Declaration d : declarations) {
            d.enterSite.setTarget(armed ? d.armedEnter() : NOOP_ENTER);
            d.exitSite.setTarget(armed ? d.armedExit() : NOOP_EXIT);
            sites.add(d.enterSite);
            sites.add(d.exitSite);
        }
        MutableCallSite.syncAll(sites.toArray(new MutableCallSite[0]));
        warm = armed;
    }
}
