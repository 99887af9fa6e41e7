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

    /** Calls {@code listener} with the number of each bucket that just ended, on the clock's thread. */
    void onTick(java.util.function.LongConsumer listener) {
        // a clock moved by hand has no ticks of its own
    }

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
        private final java.util.concurrent.CopyOnWriteArrayList<java.util.function.LongConsumer> listeners =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        private Ticking() {
            Threads.daemon("timeout-clock", this).start();
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
        void onTick(java.util.function.LongConsumer listener) {
            listeners.add(listener);
        }

        @Override
        public void run() {
            while (true) {
                long now = nanos();
                long current = now / BUCKET_NANOS;
                if (current > tick) {
                    long ended = tick;
                    tick = current;
                    for (java.util.function.LongConsumer listener : listeners) {
                        try {
                            listener.accept(ended);
                        } catch (Throwable t) {
                            Guard.failed("a clock listener", t);
                        }
                    }
                }
                // spurious wake-ups and interrupts just recompute the time
                LockSupport.parkNanos(this, (current + 1) * BUCKET_NANOS - now);
                Thread.interrupted();
            }
        }
    }
}
