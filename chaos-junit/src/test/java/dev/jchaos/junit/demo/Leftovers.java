package dev.jchaos.junit.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The threads fixtures leak on purpose. jchaos reports leaks and, by default, leaves the threads alone; the suite
 * that ran the fixture stops them here so that it stays leak-free under its own detector.
 */
public final class Leftovers {

    private static final List<Thread> THREADS = new ArrayList<>();

    private Leftovers() {
    }

    /** Remembers an already started thread (tracking after {@code start()} keeps the creation site the caller's). */
    public static synchronized Thread track(Thread thread) {
        THREADS.add(thread);
        return thread;
    }

    /** Interrupts every remembered thread and waits for each to end. */
    public static void stopAll() throws InterruptedException {
        List<Thread> threads;
        synchronized (Leftovers.class) {
            threads = new ArrayList<>(THREADS);
            THREADS.clear();
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread + " ignored its interrupt");
            }
        }
    }
}
