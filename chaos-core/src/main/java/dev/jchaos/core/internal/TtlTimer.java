package dev.jchaos.core.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The ttl's timer: one pending expiry at a time, on a {@code jchaos-ttl} thread that exists only while one is
 * pending. Not thread-safe: the engine calls it under its writer lock.
 */
final class TtlTimer {

    private ScheduledThreadPoolExecutor timer;
    private ScheduledFuture<?> pending;

    /** Replaces any pending expiry by {@code expire} in {@code nanos}; none when {@code nanos <= 0}. */
    void schedule(long nanos, Runnable expire) {
        cancel();
        if (nanos <= 0) {
            return;
        }
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, Threads.factory("ttl"));
            timer.setRemoveOnCancelPolicy(true);
            timer.setKeepAliveTime(1, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
        }
        pending = timer.schedule(expire, nanos, TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
