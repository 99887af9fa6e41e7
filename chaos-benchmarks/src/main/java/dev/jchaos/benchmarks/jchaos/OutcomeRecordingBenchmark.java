package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.core.ChaosController;
import dev.jchaos.core.metrics.ChaosMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of recording a call's outcome (calls and timeouts per point) at an armed point: the same method armed with
 * {@code 0%delay(1ms)} and returning normally, without and with {@link ChaosMetrics} bound to a registry. Binding
 * is global, so each benchmark needs its own fork: do not run this class with {@code -f 0}.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -jar target/benchmarks.jar OutcomeRecordingBenchmark -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = JchaosBench.AGENT)
@State(Scope.Thread)
public class OutcomeRecordingBenchmark {

    private final DelayTarget target = new DelayTarget();
    private int x = 42;

    /** The point armed with a 0% delay, no meters bound. */
    @State(Scope.Benchmark)
    public static class Armed {
        ChaosController controller;

        @Setup(Level.Trial)
        public void arm() {
            controller = JchaosBench.wovenController(DelayTarget.ARMED);
            controller.setEnabled(true);
            controller.activate(DelayTarget.ARMED, "0%delay(1ms)");
        }

        @TearDown(Level.Trial)
        public void disarm() {
            controller.deactivateAll();
            controller.setEnabled(false);
        }
    }

    /** The same, with jchaos's meters bound to a Micrometer registry. */
    @State(Scope.Benchmark)
    public static class ArmedWithMetrics extends Armed {
        private SimpleMeterRegistry registry;

        @Setup(Level.Trial)
        public void bindMetrics() {
            registry = new SimpleMeterRegistry();
            new ChaosMetrics().bindTo(registry);
            if (registry.find("jchaos.point.calls").tag("point", DelayTarget.ARMED).functionCounter() == null) {
                throw new IllegalStateException("ChaosMetrics did not register jchaos.point.calls for "
                        + DelayTarget.ARMED + "; meters: " + registry.getMetersAsString());
            }
        }

        @TearDown(Level.Trial)
        public void closeRegistry() {
            registry.close();
        }
    }

    /** The method without any point, for reference. */
    @Benchmark
    public int unwoven() {
        return target.plain(x);
    }

    /** Armed {@code 0%}, returns normally, no meters bound. */
    @Benchmark
    public int armedWithoutMetrics(Armed state) {
        return target.armed(x);
    }

    /** Armed {@code 0%}, returns normally, {@code ChaosMetrics} bound. */
    @Benchmark
    public int armedWithMetrics(ArmedWithMetrics state) {
        return target.armed(x);
    }
}
