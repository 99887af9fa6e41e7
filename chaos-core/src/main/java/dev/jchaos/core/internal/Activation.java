package dev.jchaos.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A point armed with a program. While a point is warm its woven methods' call sites lead to an entry that reads the
 * point's activation (one volatile read) and an exit that tests for an exception; switching activations is then one
 * write, and deoptimises nothing (see {@link Point#switchTo}). Evaluation takes no lock: concurrent slow actions
 * never serialise. Everything but the injected fault is caught here (see {@link Guard}).
 */
final class Activation {

    private static final MethodHandle ENTER;
    private static final MethodHandle EXIT;
    private static final MethodHandle IS_NULL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENTER = lookup.findStatic(Activation.class, "enter",
                    MethodType.methodType(void.class, Declaration.class));
            EXIT = lookup.findStatic(Activation.class, "exit",
                    MethodType.methodType(void.class, Declaration.class, Throwable.class));
            IS_NULL = lookup.findStatic(Objects.class, "isNull", MethodType.methodType(boolean.class, Object.class))
                    .asType(MethodType.methodType(boolean.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Point point;
    final Program program;
    final Rule rule;
    final long epoch;
    private final long seedBase;
    /** The threads that reached this activation, in order: their salt for the draws. */
    private final AtomicLong arrivals = new AtomicLong();
    private final AtomicLongArray remaining;
    private final Throwables.PerClass[] throwers;
    volatile boolean released;

    Activation(Point point, Program program, Rule rule, long epoch, long seed) {
        this.point = point;
        this.program = program;
        this.rule = rule;
        this.epoch = epoch;
        this.seedBase = Rng.pointSeed(seed, point.idHash);
        this.remaining = new AtomicLongArray(program.terms.length);
        this.throwers = new Throwables.PerClass[program.terms.length];
        for (int i = 0; i < program.terms.length; i++) {
            remaining.set(i, program.terms[i].count);
            Task task = program.terms[i].task;
            if (task.kind == Task.Kind.THROW) {
                throwers[i] = new Throwables.PerClass(task);
            }
        }
    }

    /** The armed entry of {@code d}: runs the point's activation in force, if any. */
    static MethodHandle enterOf(Declaration d) {
        return MethodHandles.insertArguments(ENTER, 0, d);
    }

    /**
     * An armed exit of {@code d}, the same whichever activation is armed (it counts on the point): exits that return
     * normally cost one null test; only a thrown exception reaches the point.
     */
    static MethodHandle exitOf(Declaration d) {
        return MethodHandles.guardWithTest(IS_NULL, Point.NOOP_EXIT, MethodHandles.insertArguments(EXIT, 0, d));
    }

    @SuppressWarnings("unused") // reached through ENTER
    private static void enter(Declaration d) throws Throwable {
        Activation a = d.point.activation;
        if (a == null) {
            return; // warm but disarmed: the attached engine's clock leads the sites back to no-ops after 30 s
        }
        Throwable fault;
        try {
            fault = a.decide(d);
        } catch (Throwable bug) {
            Guard.failed("the entry of " + d.method, bug);
            return;
        }
        if (fault != null) {
            throw fault;
        }
    }

    @SuppressWarnings("unused") // reached through EXIT
    private static void exit(Declaration d, Throwable thrown) {
        try {
            if (d.point.activation != null) {
                d.point.thrown(thrown);
            }
        } catch (Throwable bug) {
            Guard.failed("the exit of " + d.method, bug);
        }
    }

    /** Counts the call and runs the first term that fires; returns the fault to throw, or null. */
    private Throwable decide(Declaration d) {

        // counted even after this activation was retired: every armed call is counted exactly once
        long n = point.calls.next(this, arrivals);
        if (released) {
            return null;
        }
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
            return run(t.task, n, i, d);
        }
        return null;
    }

    private Throwable run(Task task, long n, int slot, Declaration d) {
        switch (task.kind) {
            case OFF:
                return null;
            case DELAY: {
                long nanos = task.minNanos;
                if (task.maxNanos > task.minNanos) {
                    double u = Rng.unit(Rng.draw(seedBase, n, 1000 + slot));
                    nanos += (long) (u * (task.maxNanos - task.minNanos + 1));
                }
                Object event = InjectionEvents.PRESENT ? InjectionEvents.begin() : null;
                point.hold(this, Task.Kind.DELAY, Math.min(nanos, point.engine.maxDelay()));
                recorded(event, Task.Kind.DELAY);
                return null;
            }
            case HANG: {
                long cap = point.engine.maxDelay();
                Object event = InjectionEvents.PRESENT ? InjectionEvents.begin() : null;
                point.hold(this, Task.Kind.HANG, task.minNanos == Task.NO_LIMIT ? cap : Math.min(task.minNanos, cap));
                recorded(event, Task.Kind.HANG);
                return null;
            }
            default: {
                Throwable thrown = throwers[slot].create(d);
                if (thrown == null) {
                    return null; // cannot be thrown from this method: logged once, the call passes through
                }
                point.injected(Task.Kind.THROW);
                point.thrown(thrown);
                if (InjectionEvents.PRESENT) {
                    recorded(InjectionEvents.begin(), Task.Kind.THROW);
                }
                return thrown;
            }
        }
    }

    /** Commits the JFR event of an injection that fired; a failure there never costs the injection itself. */
    private void recorded(Object event, Task.Kind kind) {
        if (event != null) {
            try {
                InjectionEvents.commit(event, point.id, kind.word());
            } catch (RuntimeException | LinkageError e) {
                Guard.failed("recording the JFR event of " + point.id, e);
            }
        }
    }

    /** Ends this activation: the point no longer names it, and its waiting threads wake up. */
    void release() {
        released = true;
        point.wakeAll();
    }
}
