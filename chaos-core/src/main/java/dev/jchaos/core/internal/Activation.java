package dev.jchaos.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A point armed with a program. Its {@link #enter()} and {@link #exit(Throwable)} are bound into the point's call
 * sites, so woven code reaches them without reading any shared state first. Evaluation takes no lock: concurrent
 * slow actions never serialise.
 */
final class Activation {

    static final MethodHandle ENTER;
    static final MethodHandle EXIT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENTER = lookup.findVirtual(Activation.class, "enter", MethodType.methodType(void.class));
            EXIT = lookup.findVirtual(Activation.class, "exit", MethodType.methodType(void.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Point point;
    final Program program;
    final long ruleSeq;
    final long epoch;
    private final long seedBase;
    private final AtomicLong callIndex = new AtomicLong();
    private final AtomicLongArray remaining;
    private final AtomicReferenceArray<Throwables.Factory> factories;
    volatile boolean released;

    Activation(Point point, Program program, long ruleSeq, long epoch, long seed) {
        this.point = point;
        this.program = program;
        this.ruleSeq = ruleSeq;
        this.epoch = epoch;
        this.seedBase = Rng.pointSeed(seed, point.id);
        this.remaining = new AtomicLongArray(program.terms.length);
        for (int i = 0; i < program.terms.length; i++) {
            remaining.set(i, program.terms[i].count);
        }
        this.factories = new AtomicReferenceArray<>(program.terms.length);
    }

    /** Calls seen by this activation: its call index doubles as the point's call counter. */
    long calls() {
        return callIndex.get();
    }

    MethodHandle enterHandle() {
        return ENTER.bindTo(this);
    }

    MethodHandle exitHandle() {
        return EXIT.bindTo(this);
    }

    @SuppressWarnings("unused") // reached through ENTER
    private void enter() throws Throwable {
        if (released) {
            return;
        }
        long n = callIndex.getAndIncrement();
        Term[] terms = program.terms;
        for (int i = 0; i < terms.length; i++) {
            Term t = terms[i];
            boolean counted = t.count != Term.UNLIMITED;
            if (counted && remaining.get(i) <= 0) {
                continue;
            }
            if (!t.always() && (Rng.draw(seedBase, n, i) >>> 11) >= t.threshold) {
                continue;
            }
            if (counted && remaining.getAndDecrement(i) <= 0) {
                continue;
            }
            run(t.task, n, i);
            return;
        }
    }

    @SuppressWarnings("unused") // reached through EXIT
    private void exit(Throwable thrown) {
        if (released) {
            return;
        }
        point.recordOutcome(thrown);
    }

    private void run(Task task, long n, int slot) throws Throwable {
        Engine engine = point.engine;
        switch (task.kind) {
            case OFF:
                return;
            case DELAY: {
                long nanos = task.minNanos;
                if (task.maxNanos > task.minNanos) {
                    double u = Rng.unit(Rng.draw(seedBase, n, 1000 + slot));
                    nanos += (long) (u * (task.maxNanos - task.minNanos + 1));
                }
                point.hold(this, Task.Kind.DELAY, Math.min(nanos, engine.maxDelayNanos()));
                return;
            }
            case HANG: {
                long cap = engine.maxDelayNanos();
                point.hold(this, Task.Kind.HANG, task.minNanos == Task.NO_LIMIT ? cap : Math.min(task.minNanos, cap));
                return;
            }
            default: {
                Throwables.Factory factory = factories.get(slot);
                if (factory == null) {
                    factory = Throwables.factory(task, point.candidateLoaders());
                    factories.set(slot, factory);
                }
                Throwable thrown = factory.create();
                if (thrown == null) {
                    return; // could not be created here: logged once, the call passes through
                }
                point.injected(Task.Kind.THROW);
                point.recordOutcome(thrown);
                throw thrown;
            }
        }
    }

    /** Ends this activation: the call sites no longer reach it and its waiting threads wake up. */
    void release() {
        released = true;
        point.wakeAll();
    }
}
