package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.benchmarks.report.Stats;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Latency from {@code activate(..)} on one thread to the first delay seen by another thread that spins through the
 * point. JMH times one thread, not a hand-over between two, so this is a plain harness: each trial takes
 * {@code System.nanoTime()} just before {@code activate}, and the spinner reports when its first delay began. It
 * cannot see the hold begin, only that a call took at least the injected 5 ms and ended at {@code end}; the point's
 * injected time grew by the hold's length {@code h} (the trial's only hold), so the hold began at {@code end - h}.
 * That counts from the moment the delay began, not from the call's start: a call already under way when activation
 * began is the first to reach the point, so it is the one that must be delayed. At the end the point's injection
 * count must confirm every delay the spinner saw.
 *
 * <p>The activating thread waits by parking, not spinning: on a two-core machine a second spinning thread leaves no
 * core for the JIT, GC and clock threads, and the thread they preempt (the spinner, or the one activating) loses a
 * scheduler tick (4 ms).
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -javaagent:target/agent/jchaos-agent.jar -cp target/benchmarks.jar \
 *     dev.jchaos.benchmarks.jchaos.ActivationLatency --trials 300 [--out target/results/latency.properties]}</pre>
 */
public final class ActivationLatency {

    /** Long enough that the spinner being descheduled is not mistaken for an injected delay. */
    private static final long DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final String ACTIONS = "delay(5ms)";
    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int WARM_CALLS = 1_000;
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final DelayTarget target = new DelayTarget();
    private final AtomicLong calls = new AtomicLong();
    /** When the first delay since the last reset began, at the latest; 0 while none was seen. */
    private final AtomicLong firstDelayedStart = new AtomicLong();
    /** When the current trial's activation began; delays that began earlier are not counted. */
    private volatile long armedSince = Long.MAX_VALUE;
    private volatile boolean running = true;
    private volatile ChaosController controller;
    /** The point's injected time when the current trial began: what the trial's one hold adds is its length. */
    private volatile long injectedBefore;

    private ActivationLatency() {
    }

    /**
     * Runs the trials and prints percentiles; {@code --out} also writes them as properties for the results table.
     */
    public static void main(String[] args) throws InterruptedException {
        int trials = 300;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = positive("--trials", value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (expected --trials N, --out FILE)");
            }
        }
        Properties result = new ActivationLatency().run(trials);
        new TreeMap<>(result).forEach((k, v) -> System.out.println(k + " = " + v));
        if (out != null) {
            write(result, out);
        }
    }

    private Properties run(int trials) throws InterruptedException {
        controller = JchaosBench.wovenController(DelayTarget.LATENCY);
        controller.deactivateAll();
        controller.setEnabled(true);
        Thread spinner = new Thread(this::spin, "jchaos-bench-spinner");
        spinner.setDaemon(true);
        spinner.start();
        long[] latencies = new long[trials];
        long[] activateCalls = new long[trials];
        try {
            for (int trial = 0; trial < trials; trial++) {
                armedSince = Long.MAX_VALUE;
                controller.deactivate(DelayTarget.LATENCY);
                // calls that complete after deactivate returned prove any delayed call of the last trial is over
                awaitCalls(calls.get() + WARM_CALLS);
                firstDelayedStart.set(0);
                injectedBefore = injectedNanos();
                awaitCalls(calls.get() + WARM_CALLS);
                long t0 = System.nanoTime();
                armedSince = t0;
                controller.activate(DelayTarget.LATENCY, ACTIONS);
                long t1 = System.nanoTime();
                long seen = awaitFirstDelay(t0);
                latencies[trial] = Math.max(0, seen - t0);
                activateCalls[trial] = t1 - t0;
            }
            long injected = controller.points().stream().filter(p -> p.id().equals(DelayTarget.LATENCY))
                    .mapToLong(PointSnapshot::injections).sum();
            if (injected < trials) {
                throw new IllegalStateException("the spinner saw " + trials + " delays but jchaos injected only "
                        + injected);
            }
        } finally {
            running = false;
            controller.deactivateAll();
            controller.setEnabled(false);
            spinner.join(TimeUnit.SECONDS.toMillis(5));
        }
        Properties result = new Properties();
        result.setProperty("trials", Integer.toString(trials));
        result.setProperty("actions", ACTIONS);
        put(result, "latency", latencies);
        put(result, "activate", activateCalls);
        coldArmings(controller, result);
        retransformations(controller, result);
        return result;
    }

    /**
     * Activations of cold points (woven, never armed, or disarmed for longer than a point stays warm), whose callers
     * are compiled: arming leads the call sites away from no-ops, which deoptimises those callers. Measured apart,
     * like retransformations.
     */
    private static void coldArmings(ChaosController controller, Properties result) {
        ColdTargets targets = new ColdTargets();
        int sink = 0;
        for (int i = 0; i < 20_000; i++) {
            for (int k = 0; k < ColdTargets.COUNT; k++) {
                sink += targets.call(k, i);
            }
        }
        // keeps the calls alive so the warm-up is not optimised away
        if (sink == 42) {
            System.out.print("");
        }
        long[] activateCalls = armEach(controller, ColdTargets.COUNT, k -> ColdTargets.PREFIX + k,
                k -> targets.call(k, k));
        result.setProperty("cold.trials", Integer.toString(ColdTargets.COUNT));
        put(result, "cold", activateCalls);
    }

    /**
     * Activations that need a class retransformed first ({@code fqcn#method} on a method not woven yet), measured
     * apart: {@code activate(..)} returns once the class is rewoven.
     */
    private static void retransformations(ChaosController controller, Properties result) {
        RetransformTargets targets = new RetransformTargets();
        for (int k = 0; k < RetransformTargets.COUNT; k++) {
            targets.call(k, k);
        }
        long[] activateCalls = armEach(controller, RetransformTargets.COUNT,
                k -> RetransformTargets.class.getName() + "#t" + k, k -> targets.call(k, k));
        result.setProperty("retransform.trials", Integer.toString(RetransformTargets.COUNT));
        put(result, "retransform", activateCalls);
    }

    /**
     * Activates each of {@code count} patterns once, timing the {@code activate(..)} call, and checks that the very
     * next call through it on this thread is delayed.
     *
     * @return the times of the {@code activate(..)} calls
     */
    private static long[] armEach(ChaosController controller, int count, IntFunction<String> pattern,
                                  IntUnaryOperator call) {
        long[] activateCalls = new long[count];
        controller.setEnabled(true);
        try {
            for (int k = 0; k < count; k++) {
                String p = pattern.apply(k);
                long t0 = System.nanoTime();
                controller.activate(p, ACTIONS);
                activateCalls[k] = System.nanoTime() - t0;
                long c0 = System.nanoTime();
                call.applyAsInt(k);
                long took = System.nanoTime() - c0;
                controller.deactivate(p);
                if (took < DELAY_NANOS) {
                    throw new IllegalStateException("the first call of " + p + " after activate returned took "
                            + took + " ns: not delayed");
                }
            }
        } finally {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
        return activateCalls;
    }

    private void spin() {
        int i = 0;
        while (running) {
            long start = System.nanoTime();
            i += target.latency(i);
            long end = System.nanoTime();
            if (end - start >= DELAY_NANOS && firstDelayedStart.get() == 0) {
                // the only hold since the reset: it began as long before the call's end as the point says it lasted
                long held = injectedNanos() - injectedBefore;
                if (held >= DELAY_NANOS && end - held >= armedSince) {
                    firstDelayedStart.compareAndSet(0, end - held);
                }
            }
            calls.lazySet(calls.get() + 1);
        }
        // keeps the result alive so the loop is not optimised away
        if (i == 42) {
            System.out.print("");
        }
    }

    private long injectedNanos() {
        return controller.points().stream().filter(p -> p.id().equals(DelayTarget.LATENCY))
                .mapToLong(PointSnapshot::injectedNanos).sum();
    }

    private void awaitCalls(long count) {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (calls.get() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the spinner made no progress for 5 s");
            }
            pause();
        }
    }

    private long awaitFirstDelay(long t0) {
        long deadline = t0 + WAIT_LIMIT_NANOS;
        long seen;
        while ((seen = firstDelayedStart.get()) == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no delay seen within 5 s of activating " + DelayTarget.LATENCY);
            }
            pause();
        }
        return seen;
    }

    /** Waits without spinning: the spinner takes its own timestamps, so this thread need not watch (see above). */
    private static void pause() {
        LockSupport.parkNanos(PAUSE_NANOS);
    }

    private static void put(Properties result, String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        result.setProperty(name + ".p50.us", Stats.micros(Stats.percentile(sorted, 50)));
        result.setProperty(name + ".p90.us", Stats.micros(Stats.percentile(sorted, 90)));
        result.setProperty(name + ".p99.us", Stats.micros(Stats.percentile(sorted, 99)));
        result.setProperty(name + ".max.us", Stats.micros(sorted[sorted.length - 1]));
    }

    private static void write(Properties result, Path out) {
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            try (var writer = Files.newBufferedWriter(out)) {
                result.store(writer, "jchaos activate -> first delay, " + result.getProperty("trials") + " trials");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static int positive(String name, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the bad value
        }
        throw new IllegalArgumentException(name + " must be a positive integer but was " + text);
    }
}
