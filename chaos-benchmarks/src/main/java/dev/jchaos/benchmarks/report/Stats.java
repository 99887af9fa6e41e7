package dev.jchaos.benchmarks.report;

import java.util.Arrays;
import java.util.Locale;

/** Small numeric helpers shared by the harnesses and the results writer. */
public final class Stats {

    private Stats() {
    }

    /** The nearest-rank percentile {@code p} (0..100) of an ascending array. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** The median of the values, which need not be sorted. */
    public static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 50);
    }

    /** Nanoseconds as microseconds with one decimal. */
    public static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000.0);
    }
}
