package dev.jchaos.core.internal;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

/** Durations of the action language: a number and an optional unit ({@code ns us ms s m}, default ms). */
public final class Durations {

    private static final long[] UNIT_NANOS = {TimeUnit.MINUTES.toNanos(1), TimeUnit.SECONDS.toNanos(1),
        TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(1), 1};
    private static final String[] UNIT_NAMES = {"m", "s", "ms", "us", "ns"};

    private Durations() {
    }

    /** Nanoseconds in one {@code unit}, or -1 when the unit is unknown. */
    static long unitNanos(String unit) {
        if (unit.isEmpty()) {
            return UNIT_NANOS[2];
        }
        for (int i = 0; i < UNIT_NAMES.length; i++) {
            if (UNIT_NAMES[i].equals(unit)) {
                return UNIT_NANOS[i];
            }
        }
        return -1;
    }

    /** {@code 1500000000} as {@code 1500ms}: the largest unit that divides exactly. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0ms";
        }
        for (int i = 0; i < UNIT_NANOS.length; i++) {
            if (nanos % UNIT_NANOS[i] == 0) {
                return nanos / UNIT_NANOS[i] + UNIT_NAMES[i];
            }
        }
        return nanos + "ns";
    }

    /** A number without a trailing {@code .0}. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /**
     * Parses a whole string as one duration, as system properties give it.
     *
     * @throws dev.jchaos.core.ChaosConfigException when malformed
     */
    public static long parse(String text) {
        return new ActionParser(text).durationOnly();
    }
}
