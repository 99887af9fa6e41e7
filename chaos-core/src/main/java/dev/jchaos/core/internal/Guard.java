package dev.jchaos.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What catches jchaos's own failures on the application's threads (inside woven calls, in listeners): the call goes
 * on untouched, the failure is counted and logged once per place and type. Only injected faults reach the host.
 */
public final class Guard {

    private static final LongAdder FAILURES = new LongAdder();

    private Guard() {
    }

    /** Records that jchaos failed at {@code where}; never throws. */
    public static void failed(String where, Throwable failure) {
        try {
            FAILURES.increment();
            Log.warnOnce("guard:" + where + ":" + failure.getClass().getName(), "jchaos failed in " + where
                    + "; the call went on untouched (counted in InternalFailures)", failure);
        } catch (Throwable ignored) {
            // nothing more can be done without risking the host
        }
    }

    /** Failures caught so far in this JVM's controlling copy. */
    public static long failures() {
        return FAILURES.sum();
    }
}
