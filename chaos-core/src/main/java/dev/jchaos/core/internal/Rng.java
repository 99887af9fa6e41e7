package dev.jchaos.core.internal;

/**
 * Counter-based random draws (SplitMix64): the draw for call {@code n} of a point depends only on the seed, the
 * point id and {@code n}, so a seed replays the same decisions at a point whatever other points or threads do.
 */
final class Rng {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long TERM = 0x632BE59BD9B4E019L;

    private Rng() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The base of a point's draws under {@code seed}, from the point's {@link #idHash}. */
    static long pointSeed(long seed, long idHash) {
        return mix(seed ^ idHash);
    }

    /** A point id's share of its draws (FNV-1a, mixed): computed once per point, not on every activation. */
    static long idHash(String id) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix(h);
    }

    /** 64 random bits for call {@code n}, slot {@code slot} (one slot per term and per purpose). */
    static long draw(long pointSeed, long n, int slot) {
        return mix(pointSeed + n * GOLDEN + (slot + 1) * TERM);
    }

    /** A uniform double in [0, 1) from {@link #draw}. */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
