package dev.jchaos.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Calls and timeouts of one source: totals since start and the ratio over the last 60 seconds. Lock-free and
 * allocation-free: one ring of one-second buckets, each a stamp (its bucket number) and one packed counter (calls in
 * the high 32 bits, timeouts in the low 32), so recording a call is a single atomic add.
 */
final class RateWindow {

    /** Buckets covered by the rate: 60 one-second buckets. */
    static final int WINDOW_BUCKETS = 60;

    private static final int SLOTS = 64;
    private static final int MASK = SLOTS - 1;
    private static final long CALL = 1L << 32;
    private static final long LOW = 0xFFFF_FFFFL;
    /** Marks a slot whose counter is being emptied for a new bucket; readers skip it, writers of that bucket add. */
    private static final long RESETTING = 1L << 62;
    private static final long EMPTY = Long.MIN_VALUE;

    /** Slot i: stamp at 2i, packed counter at 2i+1 (one cache line holds both). */
    private final AtomicLongArray cells = new AtomicLongArray(SLOTS * 2);
    private final AtomicLong retiredCalls = new AtomicLong();
    private final AtomicLong retiredTimeouts = new AtomicLong();
    private final AtomicLong maxCalls = new AtomicLong();
    private final AtomicLong maxTimeouts = new AtomicLong();

    RateWindow() {
        for (int i = 0; i < SLOTS; i++) {
            cells.set(2 * i, EMPTY);
        }
    }

    /** Records one finished call in bucket {@code tick}. */
    void record(long tick, boolean timedOut) {
        add(tick, timedOut ? CALL | 1 : CALL);
    }

    /** Records {@code calls} finished calls in bucket {@code tick} at once (a point's calls, counted elsewhere). */
    void addCalls(long tick, long calls) {
        add(tick, calls * CALL);
    }

    /** Records a timeout whose call is counted by {@link #addCalls}. */
    void addTimeout(long tick) {
        add(tick, 1);
    }

    private void add(long tick, long packed) {
        int stampAt = ((int) tick & MASK) << 1;
        long stamp = cells.get(stampAt);
        if (stamp != tick && stamp != (tick | RESETTING)) {
            roll(stampAt, tick);
        }
        cells.getAndAdd(stampAt + 1, packed);
    }

    /**
     * Hands the slot from its old bucket to {@code tick}: the old counts move to the retired totals. The counter is
     * read before the stamp changes, so adds by writers of the new bucket that follow the stamp change survive the
     * subtraction.
     */
    private void roll(int stampAt, long tick) {
        while (true) {
            long stamp = cells.get(stampAt);
            if (stamp == tick || stamp == (tick | RESETTING) || (stamp & ~RESETTING) > tick) {
                // another writer rolled it, or this caller's tick is stale: the call counts in the newer bucket
                return;
            }
            long old = cells.get(stampAt + 1);
            if (cells.compareAndSet(stampAt, stamp, tick | RESETTING)) {
                cells.getAndAdd(stampAt + 1, -old);
                retiredCalls.getAndAdd(old >>> 32);
                retiredTimeouts.getAndAdd(old & LOW);
                cells.compareAndSet(stampAt, tick | RESETTING, tick);
                return;
            }
        }
    }

    /** Calls recorded since start; never decreases. */
    long calls() {
        long sum = retiredCalls.get();
        for (int i = 1; i < SLOTS * 2; i += 2) {
            sum += cells.get(i) >>> 32;
        }
        // a reader racing a roll can see the counts neither in the slot nor retired yet
        return maxCalls.accumulateAndGet(sum, Math::max);
    }

    /** Timeouts recorded since start; never decreases. */
    long timeouts() {
        long sum = retiredTimeouts.get();
        for (int i = 1; i < SLOTS * 2; i += 2) {
            sum += cells.get(i) & LOW;
        }
        return maxTimeouts.accumulateAndGet(sum, Math::max);
    }

    /**
     * Timeouts divided by calls over the 60 seconds before {@code nowNanos}, 0 when there were no calls. The oldest
     * bucket straddles the window's start and is weighed by the part of it still inside.
     */
    double rate(long nowNanos) {
        return rate(nowNanos, 0);
    }

    /** As {@link #rate(long)}, with {@code pendingCalls} not yet added counted in the current bucket. */
    double rate(long nowNanos, long pendingCalls) {
        long now = Math.floorDiv(nowNanos, TimeoutClock.BUCKET_NANOS);
        long oldest = now - WINDOW_BUCKETS;
        double inside = 1.0 - (double) (nowNanos - now * TimeoutClock.BUCKET_NANOS) / TimeoutClock.BUCKET_NANOS;
        double calls = Math.max(0, pendingCalls);
        double timeouts = 0;
        for (int i = 0; i < SLOTS * 2; i += 2) {
            long stamp = cells.get(i);
            if (stamp < oldest || stamp > now) {
                continue;
            }
            long packed = cells.get(i + 1);
            if (cells.get(i) != stamp) {
                continue;
            }
            double weight = stamp == oldest ? inside : 1.0;
            calls += weight * (packed >>> 32);
            timeouts += weight * (packed & LOW);
        }
        return calls <= 0 ? 0.0 : Math.min(1.0, timeouts / calls);
    }
}
