package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.annotations.InjectDelay;

/**
 * Points that stay cold until {@link ActivationLatency} arms each of them once, after its caller was compiled: the
 * activation that leads a cold point's call sites away from no-ops, and so deoptimises the code compiled against them.
 */
public class ColdTargets {

    /** How many points there are: {@code bench.cold0} to {@code bench.cold15}. */
    public static final int COUNT = 16;
    /** Point ids are this prefix and the method's number. */
    public static final String PREFIX = "bench.cold";

    @InjectDelay(PREFIX + 0)
    public int c0(int x) {
        return x * 31 + 0;
    }

    @InjectDelay(PREFIX + 1)
    public int c1(int x) {
        return x * 31 + 1;
    }

    @InjectDelay(PREFIX + 2)
    public int c2(int x) {
        return x * 31 + 2;
    }

    @InjectDelay(PREFIX + 3)
    public int c3(int x) {
        return x * 31 + 3;
    }

    @InjectDelay(PREFIX + 4)
    public int c4(int x) {
        return x * 31 + 4;
    }

    @InjectDelay(PREFIX + 5)
    public int c5(int x) {
        return x * 31 + 5;
    }

    @InjectDelay(PREFIX + 6)
    public int c6(int x) {
        return x * 31 + 6;
    }

    @InjectDelay(PREFIX + 7)
    public int c7(int x) {
        return x * 31 + 7;
    }

    @InjectDelay(PREFIX + 8)
    public int c8(int x) {
        return x * 31 + 8;
    }

    @InjectDelay(PREFIX + 9)
    public int c9(int x) {
        return x * 31 + 9;
    }

    @InjectDelay(PREFIX + 10)
    public int c10(int x) {
        return x * 31 + 10;
    }

    @InjectDelay(PREFIX + 11)
    public int c11(int x) {
        return x * 31 + 11;
    }

    @InjectDelay(PREFIX + 12)
    public int c12(int x) {
        return x * 31 + 12;
    }

    @InjectDelay(PREFIX + 13)
    public int c13(int x) {
        return x * 31 + 13;
    }

    @InjectDelay(PREFIX + 14)
    public int c14(int x) {
        return x * 31 + 14;
    }

    @InjectDelay(PREFIX + 15)
    public int c15(int x) {
        return x * 31 + 15;
    }

    /** Calls {@code c<k>}. */
    public int call(int k, int x) {
        return switch (k) {
            case 0 -> c0(x);
            case 1 -> c1(x);
            case 2 -> c2(x);
            case 3 -> c3(x);
            case 4 -> c4(x);
            case 5 -> c5(x);
            case 6 -> c6(x);
            case 7 -> c7(x);
            case 8 -> c8(x);
            case 9 -> c9(x);
            case 10 -> c10(x);
            case 11 -> c11(x);
            case 12 -> c12(x);
            case 13 -> c13(x);
            case 14 -> c14(x);
            case 15 -> c15(x);
            default -> throw new IllegalArgumentException("no method c" + k);
        };
    }
}
