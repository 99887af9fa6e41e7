package dev.jchaos.core.internal;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The time base of the timeout rate windows: a coarse bucket number cheap enough to read on every recorded call, and
 * precise nanoseconds for the rare reader that weighs the oldest bucket.
 */
abstract class TimeoutClock {

    /** Width of one rate bucket. */
    static final long BUCKET_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The current bucket number, {@code nanos() / BUCKET_NANOS}, possibly a few milliseconds late. */
    abstract long tick();

    /** Nanoseconds since this clock's origin. */
    abstract long nanos();

    /** The JVM's clock; its ticking thread starts with the first call. */
    static TimeoutClock system() {
        return Ticking.INSTANCE;
    }

    /** A clock read from {@code nanos} on every call, for tests that move time by hand. */
    static TimeoutClock of(LongSupplier nanos) {
        Objects.requireNonNull(nanos, "nanos");
        return new TimeoutClock() {
            @Override
            long tick() {
                return Math.floorDiv(nanos.getAsLong(), BUCKET_NANOS);
            }

            @Override
            long nanos() {
                return nanos.getAsLong();
            }
        };
    }

    /**
     * System.nanoTime() costs 20 ns on good hardware and over 100 ns on some virtual machines, more than the whole
     * budget of recording a call; so a daemon thread publishes the bucket number at each bucket boundary and
     * recording reads a volatile field instead.
     */
    private static final class Ticking extends TimeoutClock implements Runnable {

        static final Ticking INSTANCE = new Ticking();

        private final long origin = System.nanoTime();
        private volatile long tick;

        private Ticking() {
            Thread thread = new Thread(this, "jchaos-timeout-clock");
            thread.setDaemon(true);
            // never pin an application class loader through the thread
            thread.setContextClassLoader(null);
            thread.start();
        }

        @Override
        long tick() {
            return tick;
        }

        @Override
        long nanos() {
            return System.nanoTime() - origin;
        }

        @Override
        public void run() {
            while (true) {
                long now = nanos();
                long current = now / BUCKET_NANOS;
                if (current > tick) {
                    tick = current;
                }
                // spurious wake-ups and interrupts just recompute the time
                LockSupport.parkNanos(this, (current + 1) * BUCKET_NANOS - now);
                Thread.interrupted();
            }
        }
    }
}
