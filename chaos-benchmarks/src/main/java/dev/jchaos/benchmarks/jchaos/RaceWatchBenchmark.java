package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.Races;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What race watching costs a {@code HashMap.get} call site with nothing suspect (lookups only, so no near miss ever
 * arises): the call in a watched class while a watch runs, against the same call in a class that is not watched, on
 * one thread and on two threads sharing the map.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -jar target/benchmarks.jar RaceWatchBenchmark -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = JchaosBench.AGENT)
@State(Scope.Benchmark)
public class RaceWatchBenchmark {

    private final Map<String, Integer> map = new HashMap<>();
    private final String key = "sku-17";
    private Races.Session watch;

    @Setup(Level.Trial)
    public void setUp() {
        if (!Chaos.agentInstalled()) {
            throw new IllegalStateException("the jchaos agent is not loaded: run from chaos-benchmarks/ with "
                    + JchaosBench.AGENT);
        }
        for (int i = 0; i < 64; i++) {
            map.put("sku-" + i, i);
        }
        proveWatched();
        watch = Chaos.races().watch(List.of(Lookups.Watched.class.getName()), Duration.ofMillis(100), List.of(),
                1);
        if (Lookups.Watched.get(map, key) != 17 || Lookups.Plain.get(map, key) != 17) {
            throw new IllegalStateException("lookups broken");
        }
    }

    /** Two threads writing one map through the watched class must be noticed, or the benchmark measures nothing. */
    private static void proveWatched() {
        Races.Session check = Chaos.races().watch(List.of(Lookups.Watched.class.getName()), Duration.ofMillis(500),
                List.of(), 1);
        Map<String, Integer> scratch = new HashMap<>();
        try {
            for (int t = 0; t < 2; t++) {
                Thread writer = new Thread(() -> Lookups.Watched.put(scratch, "k", 1), "jchaos-bench-writer-" + t);
                writer.start();
                writer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            var report = check.stop();
            if (report.suspects().isEmpty() && report.violations().isEmpty()) {
                throw new IllegalStateException(Lookups.Watched.class.getName() + " is not watched: two threads "
                        + "writing one map through it went unnoticed");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (!watch.stop().violations().isEmpty()) {
            throw new IllegalStateException("lookups only can never race");
        }
    }

    @Benchmark
    @Threads(1)
    public Integer unwatchedGet() {
        return Lookups.Plain.get(map, key);
    }

    @Benchmark
    @Threads(1)
    public Integer watchedGet() {
        return Lookups.Watched.get(map, key);
    }

    @Benchmark
    @Threads(2)
    public Integer unwatchedGetTwoThreads() {
        return Lookups.Plain.get(map, key);
    }

    @Benchmark
    @Threads(2)
    public Integer watchedGetTwoThreads() {
        return Lookups.Watched.get(map, key);
    }
}
