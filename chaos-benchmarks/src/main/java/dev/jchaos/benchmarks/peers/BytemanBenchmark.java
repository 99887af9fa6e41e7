package dev.jchaos.benchmarks.peers;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer (d): the trivial method under a loaded Byteman rule whose condition is false, compiled to bytecode as
 * Byteman's guide advises for hot paths, next to the same method without a rule in the same JVM.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -jar target/benchmarks.jar BytemanBenchmark -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
        "-javaagent:target/agent/byteman.jar=script:target/classes/byteman/dormant.btm",
        "-Dorg.jboss.byteman.compileToBytecode=true"})
@State(Scope.Thread)
public class BytemanBenchmark {

    private final BytemanTarget target = new BytemanTarget();
    private int x = 42;

    /** Fails the run when the rules did not load, rather than measuring a method without a trigger. */
    @Setup(Level.Trial)
    public void checkRulesLoaded() {
        if (!target.probe()) {
            throw new IllegalStateException("Byteman rules are not loaded: run from chaos-benchmarks/ so that"
                    + " target/agent/byteman.jar and target/classes/byteman/dormant.btm resolve");
        }
    }

    /** The method without a rule. */
    @Benchmark
    public int plain() {
        return target.plain(x);
    }

    /** (d) The method with a Byteman rule whose condition is false. */
    @Benchmark
    public int falseConditionRule() {
        return target.work(x);
    }
}
