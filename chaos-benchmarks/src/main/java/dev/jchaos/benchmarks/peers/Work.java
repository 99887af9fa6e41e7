package dev.jchaos.benchmarks.peers;

/** The interface a JDK dynamic proxy needs; the trivial method every peer benchmark calls. */
public interface Work {

    /** Returns {@code x * 31 + 7}. */
    int work(int x);
}
