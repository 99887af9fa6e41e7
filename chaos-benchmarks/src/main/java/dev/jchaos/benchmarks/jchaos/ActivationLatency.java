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

/**
 * Latency from {@code activate(..)} on one thread to the first delay seen by another thread that spins through the
 * point. JMH times one thread, not a hand-over between two, so this is a plain harness: each trial takes
 * {@code System.nanoTime()} just before {@code activate}, and the spinner reports when its first delayed call
 * started (the decision to delay is taken at the start of the call). A call counts as delayed when it took at least
 * the injected 5 ms and started after activation began; at the end the point's injection count must confirm every
 * delay the spinner saw.
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

    private final DelayTarget target = new DelayTarget();
    private final AtomicLong calls = new AtomicLong();
    /** Start time of the first delayed call since the last reset; 0 while none was seen. */
    private final AtomicLong firstDelayedStart = new AtomicLong();
    /** When the current trial's activation began; slow calls that started earlier are not counted. */
    private volatile long armedSince = Long.MAX_VALUE;
    private volatile boolean running = true;

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
        ChaosController controller = JchaosBench.wovenController(DelayTarget.LATENCY);
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
        retransformations(controller, result);
        return result;
    }

    /**
     * Activations that need a class retransformed first ({@code fqcn#method} on a method not woven yet), measured
     * apart: the {@code activate(..)} call, which returns once the class is rewoven, and whether the very next call
     * on the same thread is delayed.
     */
    private static void retransformations(ChaosController controller, Properties result) {
        RetransformTargets targets = new RetransformTargets();
        for (int k = 0; k < RetransformTargets.COUNT; k++) {
            targets.call(k, k);
        }
        long[] activateCalls = new long[RetransformTargets.COUNT];
        controller.setEnabled(true);
        try {
            retransform(controller, targets, activateCalls);
        } finally {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
        result.setProperty("retransform.trials", Integer.toString(RetransformTargets.COUNT));
        put(result, "retransform", activateCalls);
    }

    private static void retransform(ChaosController controller, RetransformTargets targets, long[] activateCalls) {
        for (int k = 0; k < RetransformTargets.COUNT; k++) {
            String pattern = RetransformTargets.class.getName() + "#t" + k;
            long t0 = System.nanoTime();
            controller.activate(pattern, ACTIONS);
            activateCalls[k] = System.nanoTime() - t0;
            long c0 = System.nanoTime();
            targets.call(k, k);
            long took = System.nanoTime() - c0;
            controller.deactivate(pattern);
            if (took < DELAY_NANOS) {
                throw new IllegalStateException("the first call of " + pattern + " after activate returned took "
                        + took + " ns: not delayed");
            }
        }
    }

    private void spin() {
        int i = 0;
        while (running) {
            long start = System.nanoTime();
            i += target.latency(i);
            long end = System.nanoTime();
            if (end - start >= DELAY_NANOS && start >= armedSince) {
                firstDelayedStart.compareAndSet(0, start);
            }
            calls.lazySet(calls.get() + 1);
        }
        // keeps the result alive so the loop is not optimised away
        if (i == 42) {
            System.out.print("");
        }
    }

    private void awaitCalls(long count) {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (calls.get() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the spinner made no progress for 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private long awaitFirstDelay(long t0) {
        long deadline = t0 + WAIT_LIMIT_NANOS;
        long seen;
        while ((seen = firstDelayedStart.get()) == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no delay seen within 5 s of activating " + DelayTarget.LATENCY);
            }
            Thread.onSpinWait();
        }
        return seen;
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
