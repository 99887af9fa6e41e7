package dev.jchaos.junit;

/**
 * A test left threads running. The message is the full report: leaked threads grouped by state and stack, where
 * each group was started, and, when delay points were active, the minimal failing configuration and how to
 * replay it.
 */
public final class ThreadLeakError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final int leakedThreads;

    ThreadLeakError(String report, int leakedThreads) {
        super(report);
        this.leakedThreads = leakedThreads;
    }

    /** How many threads leaked. */
    public int leakedThreads() {
        return leakedThreads;
    }
}
