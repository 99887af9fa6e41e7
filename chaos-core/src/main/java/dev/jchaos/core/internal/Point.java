package dev.jchaos.core.internal;

import dev.jchaos.core.PointSnapshot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/** A delay point: its declarations, its call sites, its live statistics and the threads it holds. */
public final class Point {

    static final MethodHandle NOOP_ENTER = MethodHandles.empty(MethodType.methodType(void.class));
    static final MethodHandle NOOP_EXIT = MethodHandles.empty(MethodType.methodType(void.class, Throwable.class));

    final String id;
    final Engine engine;
    final MutableCallSite enterSite;
    final MutableCallSite exitSite;
    private final CopyOnWriteArrayList<String> declarations = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<WeakReference<ClassLoader>> loaders = new CopyOnWriteArrayList<>();
    volatile Program defaults;
    /** Guarded by the engine lock; read by snapshots. */
    volatile Activation activation;

    /** Calls seen by activations that ended; the current one counts its own. */
    private final LongAdder retiredCalls = new LongAdder();
    private final LongAdder[] injections = new LongAdder[Task.Kind.values().length];
    private final LongAdder injectedNanos = new LongAdder();
    private final LongAdder injectedWaits = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    private final TimeoutTracker.Source timeoutSource;

    Point(Engine engine, String id, MutableCallSite enterSite, MutableCallSite exitSite) {
        this.engine = engine;
        this.id = id;
        this.enterSite = enterSite;
        this.exitSite = exitSite;
        for (int i = 0; i < injections.length; i++) {
            injections[i] = new LongAdder();
        }
        this.timeoutSource = TimeoutTracker.get().source("point:" + id);
    }

    public String id() {
        return id;
    }

    /** The first method that declared this point, {@code fqcn#method}. */
    public String declaredBy() {
        return declarations.isEmpty() ? id : declarations.get(0);
    }

    public long calls() {
        Activation a = activation;
        return retiredCalls.sum() + (a == null ? 0 : a.calls());
    }

    public long injections() {
        long sum = 0;
        for (LongAdder adder : injections) {
            sum += adder.sum();
        }
        return sum;
    }

    /** Injections of one kind: {@code delay}, {@code hang} or {@code throw}. */
    public long injections(String action) {
        for (Task.Kind kind : Task.Kind.values()) {
            if (kind.word().equals(action)) {
                return injections[kind.ordinal()].sum();
            }
        }
        throw new IllegalArgumentException("unknown action '" + action + "': expected delay, hang or throw");
    }

    public long injectedNanos() {
        return injectedNanos.sum();
    }

    public long injectedWaits() {
        return injectedWaits.sum();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public TimeoutTracker.Source timeoutSource() {
        return timeoutSource;
    }

    /** The active actions, or null. */
    public String actions() {
        Activation a = activation;
        return a == null ? null : a.program.toString();
    }

    PointSnapshot snapshot() {
        return new PointSnapshot(id, declaredBy(), actions(), calls(), injections(), injectedNanos(), inFlight());
    }

    void declare(String declaredBy, ClassLoader loader) {
        if (declaredBy != null && !declarations.contains(declaredBy)) {
            declarations.addIfAbsent(declaredBy);
        }
        if (loader != null) {
            for (WeakReference<ClassLoader> ref : loaders) {
                if (ref.get() == loader) {
                    return;
                }
            }
            loaders.add(new WeakReference<>(loader));
        }
    }

    /** Where {@code throw(..)} looks for its exception class: the declaring loaders first. */
    List<ClassLoader> candidateLoaders() {
        List<ClassLoader> result = new ArrayList<>();
        for (WeakReference<ClassLoader> ref : loaders) {
            ClassLoader l = ref.get();
            if (l != null) {
                result.add(l);
            }
        }
        result.addAll(Engine.fallbackLoaders());
        return result;
    }

    void injected(Task.Kind kind) {
        injections[kind.ordinal()].increment();
    }

    /** Outcome of a call at an armed point: finished, and whether by timeout. */
    void recordOutcome(Throwable thrown) {
        timeoutSource.record(thrown != null && TimeoutTracker.get().isTimeout(thrown));
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

    /** Points the call sites at {@code next} (or at nothing) and releases the previous activation. */
    void switchTo(Activation next) {
        Activation previous = activation;
        activation = next;
        enterSite.setTarget(next == null ? NOOP_ENTER : next.enterHandle());
        exitSite.setTarget(next == null ? NOOP_EXIT : next.exitHandle());
        MutableCallSite.syncAll(new MutableCallSite[] {enterSite, exitSite});
        if (previous != null) {
            retiredCalls.add(previous.calls());
            previous.release();
        }
    }
}
