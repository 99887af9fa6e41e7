package dev.jchaos.benchmarks.peers;

/** The trivial method, in a class of its own so that Byteman's rule names it and nothing else. */
public class BytemanTarget {

    /** The same body as every other benchmark's trivial method; a rule with a false condition is injected here. */
    public int work(int x) {
        return x * 31 + 7;
    }

    /** Not woven: the reference in the same JVM as the Byteman agent. */
    public int plain(int x) {
        return x * 31 + 7;
    }

    /** Returns {@code true} only when the Byteman agent has loaded {@code byteman/dormant.btm}. */
    public boolean probe() {
        return false;
    }
}
