package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.core.ChaosController;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per call of a jchaos delay point that does not fire: the same trivial method un-woven, behind a dormant
 * point, behind a point armed with {@code 0%delay(1ms)}, and behind a dormant point while another point is active.
 * Every fork runs with the jchaos agent, so the un-woven method pays for nothing the others do not.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -jar target/benchmarks.jar PointCostBenchmark -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = JchaosBench.AGENT)
@State(Scope.Thread)
public class PointCostBenchmark {

    private final DelayTarget target = new DelayTarget();
    // read from a field so the JIT cannot fold the call into a constant
    private int x = 42;

    /** Calls per invocation of the batched cases: JMH's own per-invocation noise spread over many calls. */
    static final int BATCH = 128;
    private final int[] xs = new int[BATCH];

    @Setup(Level.Trial)
    public void fill() {
        for (int i = 0; i < BATCH; i++) {
            xs[i] = i * 7 + 1;
        }
    }

    /** The point under test is declared and nothing is activated. */
    @State(Scope.Benchmark)
    public static class Dormant {
        @Setup(Level.Trial)
        public void setUp() {
            ChaosController controller = JchaosBench.wovenController(DelayTarget.DORMANT);
            controller.deactivateAll();
            controller.setEnabled(false);
        }
    }

    /** The point under test is armed with a 0% delay: evaluated on each call, never fires. */
    @State(Scope.Benchmark)
    public static class ArmedZero {
        private ChaosController controller;

        @Setup(Level.Trial)
        public void setUp() {
            controller = JchaosBench.wovenController(DelayTarget.ARMED);
            controller.setEnabled(true);
            controller.activate(DelayTarget.ARMED, "0%delay(1ms)");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
    }

    /**
     * The point under test was armed and is disarmed again, but still warm: its call sites lead to the armed entry,
     * which finds nothing armed. Re-armed and disarmed before each iteration, so it never stays disarmed long enough
     * to cool back to dormant however long the run.
     */
    @State(Scope.Benchmark)
    public static class DisarmedWarm {
        private ChaosController controller;

        @Setup(Level.Iteration)
        public void setUp() {
            controller = JchaosBench.wovenController(DelayTarget.ARMED);
            controller.setEnabled(true);
            controller.activate(DelayTarget.ARMED, "0%delay(1ms)");
            controller.deactivate(DelayTarget.ARMED);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
    }

    /** Two points armed with a 0% delay, for two threads on one point or on one each. */
    @State(Scope.Benchmark)
    public static class ArmedBoth {
        private ChaosController controller;

        @Setup(Level.Trial)
        public void setUp() {
            controller = JchaosBench.wovenController(DelayTarget.ARMED, DelayTarget.ARMED_TOO);
            controller.setEnabled(true);
            controller.activate(DelayTarget.ARMED, "0%delay(1ms)");
            controller.activate(DelayTarget.ARMED_TOO, "0%delay(1ms)");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
    }

    /** Which of the two armed points this thread calls: threads take turns. */
    @State(Scope.Thread)
    public static class OwnPoint {
        private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();
        boolean first;

        @Setup(Level.Trial)
        public void setUp() {
            first = NEXT.getAndIncrement() % 2 == 0;
        }
    }

    /** Chaos is on and another point is active; the point under test stays dormant. */
    @State(Scope.Benchmark)
    public static class OtherActive {
        private ChaosController controller;

        @Setup(Level.Trial)
        public void setUp() {
            controller = JchaosBench.wovenController(DelayTarget.DORMANT, DelayTarget.OTHER);
            controller.setEnabled(true);
            controller.activate(DelayTarget.OTHER, "delay(1ms)");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
    }

    /** (a) The method without any point. */
    @Benchmark
    public int unwoven() {
        return target.plain(x);
    }

    /** (b) The method behind a dormant point. */
    @Benchmark
    public int dormant(Dormant state) {
        return target.dormant(x);
    }

    /** (a) un-woven, {@value #BATCH} calls per invocation; the score is per call. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int unwovenBatch() {
        int sum = 0;
        for (int v : xs) {
            sum += target.plain(v);
        }
        return sum;
    }

    /**
     * (b) dormant, {@value #BATCH} calls per invocation: resolves a fraction of a nanosecond per call where one call
     * per invocation drowns in JMH's own noise.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int dormantBatch(Dormant state) {
        int sum = 0;
        for (int v : xs) {
            sum += target.dormant(v);
        }
        return sum;
    }

    /** (c) The method behind a point armed with {@code 0%delay(1ms)}. */
    @Benchmark
    public int armedZeroPercent(ArmedZero state) {
        return target.armed(x);
    }

    /** (b2) The method behind a point disarmed moments ago (warm: re-arming it deoptimises nothing). */
    @Benchmark
    public int disarmedWarm(DisarmedWarm state) {
        return target.armed(x);
    }

    /** (a) un-woven, two threads. */
    @Benchmark
    @Threads(2)
    public int unwovenTwoThreads() {
        return target.plain(x);
    }

    /** (c) armed {@code 0%delay(1ms)}, two threads through the same point. */
    @Benchmark
    @Threads(2)
    public int armedZeroPercentTwoThreadsOnePoint(ArmedZero state) {
        return target.armed(x);
    }

    /** (c) armed {@code 0%delay(1ms)}, two threads, each through a point of its own. */
    @Benchmark
    @Threads(2)
    public int armedZeroPercentTwoThreadsTwoPoints(ArmedBoth state, OwnPoint own) {
        return own.first ? target.armed(x) : target.armedToo(x);
    }

    /** (d) The method behind a dormant point while another point is active. */
    @Benchmark
    public int dormantWhileOtherActive(OtherActive state) {
        return target.dormant(x);
    }
}
