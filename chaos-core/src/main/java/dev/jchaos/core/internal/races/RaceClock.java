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
 */
final class RaceClock implements Runnable {

    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long origin = System.nanoTime();
    volatile long millis;
    private volatile boolean running = true;
    private final Thread thread;
    private final LongConsumer onTick;

    RaceClock(LongConsumer onTick) {
        this.onTick = onTick;
        thread = Threads.daemon("race-clock", this);
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin);
            millis = now;
            onTick.accept(now);
            LockSupport.parkNanos(this, STEP_NANOS);
        }
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
    }
}
