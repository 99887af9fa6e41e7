package dev.jchaos.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A reported run (not a test) of the two performance promises: the leak check of a clean test with 200 live
 * threads, and the candidate runs needed to find one culprit among sixteen points with one attempt each.
 * Run it from {@code chaos-junit/}:
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt} then
 * {@code java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.jchaos.junit.LeakCheckCost}.
 */
public final class LeakCheckCost {

    private LeakCheckCost() {
    }

    public static void main(String[] args) throws Exception {
        int extraThreads = 200;
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < extraThreads; i++) {
            Thread thread = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "idle-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        ThreadCensus census = new ThreadCensus(List.of());
        int warmup = 2_000;
        int measured = 5_000;
        long[] nanos = new long[measured];
        for (int i = 0; i < warmup + measured; i++) {
            long t0 = System.nanoTime();
            ThreadCensus.Baseline before = ThreadCensus.baseline();
            ThreadCensus.Leak leak = census.leaksSince(before, 1_000);
            long took = System.nanoTime() - t0;
            if (!leak.isEmpty()) {
                throw new IllegalStateException("clean check found a leak: " + leak.threads());
            }
            if (i >= warmup) {
                nanos[i - warmup] = took;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("leak check (baseline + check) of a clean test, %d live threads, JDK %s:%n",
                java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount(), Runtime.version());
        System.out.printf("  median %.1f us, p99 %.1f us, max %.1f us over %d checks%n",
                nanos[measured / 2] / 1e3, nanos[measured * 99 / 100] / 1e3, nanos[measured - 1] / 1e3, measured);
        System.out.printf("  checks over 1 ms: %d; virtual-thread dumps taken: %d%n",
                Arrays.stream(nanos).filter(n -> n > 1_000_000).count(), VirtualThreads.dumps());
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        int worst = 0;
        int total = 0;
        for (int culprit = 0; culprit < 16; culprit++) {
            String id = "p" + culprit;
            Map<String, String> points = new LinkedHashMap<>();
            for (int i = 0; i < 16; i++) {
                points.put("p" + i, "delay(300ms)");
            }
            Minimizer minimizer = new Minimizer(config -> Minimizer.RunResult.of(config.containsKey(id)),
                    new Minimizer.Settings(1, false, 100, Duration.ofMinutes(1)), line -> { }, System::nanoTime);
            Minimizer.Result result = minimizer.minimize(points);
            if (!result.minimal().keySet().equals(java.util.Set.of(id))) {
                throw new IllegalStateException("wrong minimal set " + result.minimal());
            }
            worst = Math.max(worst, result.runs());
            total += result.runs();
        }
        System.out.printf("one culprit among 16 points, attempts = 1: worst %d candidate runs, mean %.2f "
                + "(over all 16 culprit positions, including the run with no points)%n", worst, total / 16.0);
    }
}
