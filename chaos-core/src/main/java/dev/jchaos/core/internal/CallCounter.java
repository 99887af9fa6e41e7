package dev.jchaos.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A point's calls, exact and never decreasing whatever activations come and go, and the call's number for the
 * seeded draws. One thread at a time uses one counter, so its calls are numbered 0, 1, 2 ... exactly as a seed
 * replays them; once two threads collide, each thread counts on a stripe of its own (padded to its own cache line)
 * and numbers its calls per stripe, so contention never makes threads wait on one another.
 */
final class CallCounter {

    static final int STRIPES = 16;
    private static final int PAD = 16;
    private static final int MASK = STRIPES - 1;

    private final AtomicLong single = new AtomicLong();
    private volatile AtomicLongArray stripes;

    /**
     * Counts one call. Returns its number: {@code >= 0} on the single counter, {@code < 0} (stripe and number packed)
     * on a stripe, so the two kinds never share a number.
     */
    long next() {
        AtomicLongArray s = stripes;
        if (s == null) {
            long n = single.get();
            if (single.compareAndSet(n, n + 1)) {
                return n;
            }
            s = spread();
        }
        @SuppressWarnings("deprecation") // getId(): threadId() arrives with JDK 19
        int stripe = (int) Thread.currentThread().getId() & MASK;
        long n = s.getAndIncrement(stripe * PAD);
        return -(n * STRIPES + stripe) - 1;
    }

    private synchronized AtomicLongArray spread() {
        AtomicLongArray s = stripes;
        if (s == null) {
            s = new AtomicLongArray(STRIPES * PAD);
            stripes = s;
        }
        return s;
    }

    /** Calls counted so far. */
    long sum() {
        long total = single.get();
        AtomicLongArray s = stripes;
        if (s != null) {
            for (int i = 0; i < STRIPES; i++) {
                total += s.get(i * PAD);
            }
        }
        return total;
    }

    /** Where numbering stands now; {@link #since} numbers calls from here, as a new activation does. */
    long[] mark() {
        long[] mark = new long[STRIPES + 1];
        mark[STRIPES] = single.get();
        AtomicLongArray s = stripes;
        if (s != null) {
            for (int i = 0; i < STRIPES; i++) {
                mark[i] = s.get(i * PAD);
            }
        }
        return mark;
    }

    /** The number {@code n} (from {@link #next}) counted from {@code mark}. */
    static long since(long n, long[] mark) {
        if (n >= 0) {
            return n - mark[STRIPES];
        }
        long packed = -(n + 1);
        int stripe = (int) (packed & MASK);
        return -((packed / STRIPES - mark[stripe]) * STRIPES + stripe) - 1;
    }
}
