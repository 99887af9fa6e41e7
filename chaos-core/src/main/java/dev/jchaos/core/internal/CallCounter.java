package dev.jchaos.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A point's calls, exact and never decreasing whatever activations come and go, and each call's number for the
 * seeded draws. Each platform thread counts in a cell of its own (no atomic instruction, no shared cache line on a
 * woven call); virtual threads share one atomic counter. A thread numbers its calls under an activation from 0, and
 * the threads that reach an activation are salted in the order they arrive (the first gets no salt), so one thread
 * replays exactly the same decisions for the same seed, and several threads do when they arrive in the same order.
 */
final class CallCounter implements LongSupplier {

    private static final VarHandle CALLS;
    private static final Class<?> VIRTUAL = virtualThreadClass();
    /** Shifts a thread's salt above any call number it will reach. */
    private static final int SALT_SHIFT = 44;

    static {
        try {
            CALLS = MethodHandles.lookup().findVarHandle(Cell.class, "calls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One platform thread's count; written only by that thread, read by anyone. */
    static final class Cell {
        final long thread;
        final WeakReference<Thread> owner;
        @SuppressWarnings("unused") // through CALLS
        private long calls;
        /** The activation this thread last called under, its count when that began, and its salt there. */
        private Object epoch;
        private long mark;
        private long salt;

        @SuppressWarnings("deprecation") // getId(): threadId() arrives with JDK 19
        Cell(Thread owner) {
            this.thread = owner.getId();
            this.owner = new WeakReference<>(owner);
        }
    }

    private static final int RECENT = 16;

    private final ThreadLocal<Cell> mine = new ThreadLocal<>();
    /** The cells of the threads seen last, by thread id: found without a ThreadLocal lookup; racy on purpose. */
    private final Cell[] recent = new Cell[RECENT];
    /** Guarded by itself. */
    private final List<Cell> cells = new ArrayList<>();
    /** Calls of threads that are gone, and of virtual threads. */
    private final AtomicLong shared = new AtomicLong();

    /**
     * Counts one call under {@code activation} and returns its number there, salted by the thread's arrival
     * ({@code arrivals} numbers the threads that reached it).
     */
    long next(Object activation, AtomicLong arrivals) {
        Thread t = Thread.currentThread();
        if (t.getClass() == VIRTUAL) {
            // one atomic for all virtual threads: a cell per virtual thread per point would outlive its one request
            return shared.getAndIncrement() | (1L << (SALT_SHIFT + 18));
        }
        @SuppressWarnings("deprecation")
        long id = t.getId();
        int slot = (int) (id * 0x9E3779B97F4A7C15L >>> 60);
        Cell c = recent[slot];
        if (c == null || c.thread != id) {
            c = mine.get();
            if (c == null) {
                c = register(t);
            }
            recent[slot] = c;
        }
        long calls = (long) CALLS.getOpaque(c);
        if (c.epoch != activation) {
            c.epoch = activation;
            c.mark = calls;
            c.salt = arrivals.getAndIncrement() << SALT_SHIFT;
        }
        CALLS.setOpaque(c, calls + 1);
        return (calls - c.mark) | c.salt;
    }

    private Cell register(Thread t) {
        Cell c = new Cell(t);
        mine.set(c);
        synchronized (cells) {
            cells.add(c);
        }
        return c;
    }

    /** {@link #sum()}, for the timeout source that samples it. */
    @Override
    public long getAsLong() {
        return sum();
    }

    /** Calls counted so far; the cells of threads that ended are folded into one. */
    long sum() {
        long total = 0;
        synchronized (cells) {
            for (int i = cells.size() - 1; i >= 0; i--) {
                Cell c = cells.get(i);
                Thread owner = c.owner.get();
                // liveness first: a count read before its owner's last calls must not be folded in for good
                boolean ended = owner == null || !owner.isAlive();
                long calls = (long) CALLS.getOpaque(c);
                if (ended) {
                    // the owner can write no more: its count moves to the shared counter for good
                    shared.addAndGet(calls);
                    cells.remove(i);
                } else {
                    total += calls;
                }
            }
        }
        return total + shared.get();
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread");
        } catch (ClassNotFoundException e) {
            return null; // before JDK 21
        }
    }
}
