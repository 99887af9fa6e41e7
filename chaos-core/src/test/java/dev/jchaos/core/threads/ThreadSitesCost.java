package dev.jchaos.core.threads;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.Recording;

/**
 * What recording thread start sites costs per thread start: nothing recorded, JFR's {@code jdk.ThreadStart} with the
 * starter's stack (what jchaos uses), and the alternative of a hook at {@code Thread.start} that walks the stack into a
 * map. Interleaved rounds; median of the rounds. Run from {@code chaos-core/} after {@code test-compile}:
 * {@code java -cp target/test-classes dev.jchaos.core.threads.ThreadSitesCost}.
 */
public final class ThreadSitesCost {

    private static final int THREADS = 2_000;
    private static final int ROUNDS = 9;
    private static final Map<Long, StackWalker.StackFrame> SITES = new ConcurrentHashMap<>();
    private static final StackWalker WALKER = StackWalker.getInstance();

    private ThreadSitesCost() {
    }

    public static void main(String[] args) throws Exception {
        double[][] ns = new double[3][ROUNDS];
        for (int w = 0; w < 2; w++) {
            startAndJoin(false);
        }
        for (int r = 0; r < ROUNDS; r++) {
            ns[0][r] = startAndJoin(false);
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ThreadStart").withStackTrace();
                recording.start();
                ns[1][r] = startAndJoin(false);
            }
            ns[2][r] = startAndJoin(true);
            SITES.clear();
        }
        String[] names = {"nothing recorded", "JFR jdk.ThreadStart with stack", "stack walk into a map at start"};
        System.out.println("start+join of a thread, median of " + ROUNDS + " rounds of " + THREADS + ", JDK "
                + Runtime.version() + ":");
        for (int i = 0; i < 3; i++) {
            Arrays.sort(ns[i]);
            System.out.printf("  %-34s %8.1f us%n", names[i], ns[i][ROUNDS / 2] / 1000);
        }
    }

    private static double startAndJoin(boolean walk) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> { }, "cost-" + i);
            if (walk) {
                SITES.put(t.getId(), WALKER.walk(frames -> frames.skip(1).findFirst().orElseThrow()));
            }
            t.start();
            t.join();
        }
        return (System.nanoTime() - start) / (double) THREADS;
    }
}
