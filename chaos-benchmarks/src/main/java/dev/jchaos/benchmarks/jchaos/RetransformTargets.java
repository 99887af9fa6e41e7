package dev.jchaos.benchmarks.jchaos;

/**
 * Methods no point is declared on, each aimed at once by {@code fqcn#method} in {@link ActivationLatency}: every
 * activation needs this class retransformed.
 */
public class RetransformTargets {

    /** How many methods there are: {@code t0} to {@code t15}. */
    public static final int COUNT = 16;

    public int t0(int x) {
        return x * 31 + 0;
    }

    public int t1(int x) {
        return x * 31 + 1;
    }

    public int t2(int x) {
        return x * 31 + 2;
    }

    public int t3(int x) {
        return x * 31 + 3;
    }

    public int t4(int x) {
        return x * 31 + 4;
    }

    public int t5(int x) {
        return x * 31 + 5;
    }

    public int t6(int x) {
        return x * 31 + 6;
    }

    public int t7(int x) {
        return x * 31 + 7;
    }

    public int t8(int x) {
        return x * 31 + 8;
    }

    public int t9(int x) {
        return x * 31 + 9;
    }

    public int t10(int x) {
        return x * 31 + 10;
    }

    public int t11(int x) {
        return x * 31 + 11;
    }

    public int t12(int x) {
        return x * 31 + 12;
    }

    public int t13(int x) {
        return x * 31 + 13;
    }

    public int t14(int x) {
        return x * 31 + 14;
    }

    public int t15(int x) {
        return x * 31 + 15;
    }

    /** Calls {@code t<k>}. */
    public int call(int k, int x) {
        return switch (k) {
            case 0 -> t0(x);
            case 1 -> t1(x);
            case 2 -> t2(x);
            case 3 -> t3(x);
            case 4 -> t4(x);
            case 5 -> t5(x);
            case 6 -> t6(x);
            case 7 -> t7(x);
            case 8 -> t8(x);
            case 9 -> t9(x);
            case 10 -> t10(x);
            case 11 -> t11(x);
            case 12 -> t12(x);
            case 13 -> t13(x);
            case 14 -> t14(x);
            case 15 -> t15(x);
            default -> throw new IllegalArgumentException("no method t" + k);
        };
    }
}
