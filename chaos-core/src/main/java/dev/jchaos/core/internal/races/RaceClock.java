package dev.jchaos.core.internal.races;

import dev.jchaos.core.internal.Threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Milliseconds, read with one volatile load: reading the system clock on every watched call would cost more than
 * the rest of the call's bookkeeping (System.nanoTime() is ~50 ns on this kind of virtual machine). A
 * {@code jchaos-race-clock} thread advances it every few milliseconds while a watch runs, and tells its watch each
 * tick, off the watched calls' path.
 *
 * <p>A tick never moves the clock on by more than {@link #MAX_STEP_NANOS}. On a saturated machine this thread can go
 * unscheduled for a hundred milliseconds while watched calls run; a clock that then jumped to the real time would
 * put two calls made a moment apart, one before the jump and one after, a window apart, and their near miss would be
 * lost. Capped, the clock runs slow while its thread is starved: two calls' readings differ by at most their real
 * distance plus one step, so calls close in real time always read close, and calls far apart may at worst read
 * closer (a suspect more, never a report: only a hold that really catches an overlap reports).
 */
final class RaceClock implements Runnable {

    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long MAX_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    volatile long millis;
    private volatile boolean running = true;
    private final Thread thread;
    private final LongConsumer onTick;
    /** The clock thread's alone: the real time of the last tick, and the time the clock has counted. */
    private long last = System.nanoTime();
    private long elapsed;

    RaceClock(LongConsumer onTick) {
        this(onTick, true);
    }

    /** {@code start}: whether a thread advances the clock, or a test does, by {@link #advance(long)}. */
    RaceClock(LongConsumer onTick, boolean start) {
        this.onTick = onTick;
        if (start) {
            thread = Threads.daemon("race-clock", this);
            thread.start();
        } else {
            thread = null;
        }
    }

    @Override
    public void run() {
        while (running) {
            advance(System.nanoTime());
            LockSupport.parkNanos(this, STEP_NANOS);
        }
    }

    /** One tick at real time {@code realNanos}: counts the real time since the last, at most one step's worth. */
    void advance(long realNanos) {
        elapsed += Math.min(Math.max(0, realNanos - last), MAX_STEP_NANOS);
        last = realNanos;
        long now = TimeUnit.NANOSECONDS.toMillis(elapsed);
        millis = now;
        onTick.accept(now);
    }

    void stop() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
