package dev.jchaos.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {

    private static final String JCHAOS = "dev.jchaos.benchmarks.jchaos.PointCostBenchmark.";
    private static final String BYTEMAN = "dev.jchaos.benchmarks.peers.BytemanBenchmark.";

    @TempDir
    Path dir;

    @Test
    void tightResultsMeetTheDormantAndRatioGoals() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.00, 0.02, 0),
                result(JCHAOS + "dormant", 1.05, 0.02, 0),
                result(JCHAOS + "armedZeroPercent", 40.0, 1.0, 0));
        jmh("byteman.json", result(BYTEMAN + "plain", 1.0, 0.05, 0),
                result(BYTEMAN + "falseConditionRule", 150.0, 5.0, 224));

        String md = write();

        assertThat(md).contains("| dormant point ≤ 0.3 ns over un-woven | 0.05 ± 0.03 ns | yes |")
                .contains("| armed `0%` point ≤ 15 ns over un-woven | 39.00 ± 1.00 ns | no |")
                .contains("| (d) Byteman rule, condition false, compiled | 150.00 | 5.00 | 149.00 ± 5.00 | 224.0 |")
                .contains("| dormant point ≥ 10× cheaper than (d) Byteman | 149.00 ns vs 0.05 ns: 2980.0× | yes |");
    }

    @Test
    void batchedDormantCaseDecidesWhatOneCallPerInvocationCannot() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.0, 1.0, 0), result(JCHAOS + "dormant", 1.1, 1.0, 0),
                result(JCHAOS + "unwovenBatch", 0.54, 0.05, 0), result(JCHAOS + "dormantBatch", 0.50, 0.05, 0));

        assertThat(write()).contains("| dormant point ≤ 0.3 ns over un-woven | 0.10 ± 1.41 ns | undecided")
                .contains("| dormant point ≤ 0.3 ns over un-woven, 128 calls per invocation | -0.04 ± 0.07 ns | yes |")
                .contains("| (b) jchaos dormant point, 128 calls per invocation (per call) | 0.50 | 0.05 | -0.04 ± 0.07 |");
    }

    @Test
    void anErrorWiderThanTheMarginIsUndecided() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.0, 1.0, 0), result(JCHAOS + "dormant", 1.1, 1.0, 0));

        assertThat(write()).contains("| dormant point ≤ 0.3 ns over un-woven | 0.10 ± 1.41 ns | undecided");
    }

    @Test
    void missingRunsAreShownAsNotRun() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.0, 0.1, 0));

        assertThat(write()).contains("| (f) Chaos Monkey for Spring Boot service watcher, monkey disabled | not run")
                .contains("| start-up with the jchaos agent ≤ 1.05× without | not run | |")
                .contains("## Activation latency\n\nNot run.");
    }

    @Test
    void activationLatencyShowsWarmColdAndRetransformedActivationsApart() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.0, 0.1, 0));
        Files.writeString(dir.resolve("latency.properties"), """
                trials=300
                actions=delay(5ms)
                latency.p50.us=80.0
                latency.p90.us=120.0
                latency.p99.us=1200.5
                latency.max.us=9000.0
                activate.p50.us=60.0
                activate.p90.us=90.0
                activate.p99.us=150.0
                activate.max.us=12000.0
                cold.trials=16
                cold.p50.us=700.0
                cold.p90.us=800.0
                cold.p99.us=900.0
                cold.max.us=900.0
                retransform.trials=16
                retransform.p50.us=12000.0
                retransform.p90.us=15000.0
                retransform.p99.us=18000.0
                retransform.max.us=18000.0
                """);

        assertThat(write()).contains("| `activate(..)` of a woven point ≤ 100 µs median | median 60.0 µs | yes |")
                .contains("| activate → first delay on a hot thread ≤ 1 ms p99 | p99 1200.5 µs, max 9000.0 µs | no |")
                .contains("| `activate(..)` call itself | 60.0 | 90.0 | 150.0 | 12000.0 |")
                .contains("| `activate(..)` of a cold point, callers compiled (16 points) | 700.0 | 800.0 | 900.0 | 900.0 |")
                .contains("needing a retransformation (16 methods) | 12000.0 |");
    }

    @Test
    void startupRatioAboveTheGoalIsNotMet() throws IOException {
        Files.writeString(dir.resolve("startup.properties"), """
                runs=3
                configs=none,empty,jchaos
                empty.median.ms=1050
                empty.min.ms=950
                empty.max.ms=1150
                empty.ratio=1.050
                empty.emptyRatio=1.000
                empty.classes=5010
                empty.woven=0
                empty.agentClasses=0
                empty.agentClassesBeforeMain=0
                none.median.ms=1000
                none.min.ms=900
                none.max.ms=1100
                none.ratio=1.000
                none.classes=5000
                none.woven=0
                jchaos.median.ms=1200
                jchaos.min.ms=1100
                jchaos.max.ms=1300
                jchaos.ratio=1.200
                jchaos.classes=5900
                jchaos.woven=1
                jchaos.cpu.median.ms=2400
                jchaos.cpu.ratio=1.091
                jchaos.agentClasses=41
                jchaos.agentClassesBeforeMain=30
                jchaos.emptyRatio=1.143
                jchaos.cpu.emptyRatio=1.043
                jchaos.firstUse.ms=61.5
                """);

        assertThat(write()).contains("| start-up (wall) with the jchaos agent ≤ 1.05× without | 1.20× | no |")
                .contains("| start-up (CPU) with the jchaos agent ≤ 1.05× without | 1.09× | no |")
                .contains("| jchaos agent, dormant (chaos not used while starting) | 1200 | 1100 | 1300 | 1.200 | 1.143 "
                        + "| 2400 | 1.091 | 1.043 | 5900 | 1 | 41 (30) |")
                .contains("5900 classes loaded: the search of the loaded classes and weaving the 1 that declare points)"
                        + " took 61.5 ms.")
                .contains("| empty agent (does nothing) | 1050 | 950 | 1150 | 1.050 | 1.000 | — | — | — | 5010 | 0 | 0 |")
                .contains("| no agent | 1000 | 900 | 1100 | 1.000 | — | — | — | — | 5000 | 0 | — |");
    }

    @Test
    void theRaceAnchorsBesideTheResultsAreAppendedAsWritten() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.0, 0.1, 0));
        Files.writeString(dir.resolve("race-anchors.md"), "## Race detection against the anchors\n\n| a | b |\n");

        assertThat(write()).endsWith("## Race detection against the anchors\n\n| a | b |\n");
    }

    @Test
    void withoutRaceAnchorsNothingIsAppended() throws IOException {
        jmh("jchaos.json", result(JCHAOS + "unwoven", 1.0, 0.1, 0));

        assertThat(write()).doesNotContain("Race detection against the anchors");
    }

    @Test
    void aMissingResultsDirectoryIsNamed() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ResultsWriter.main(new String[] {missing.toString(), "out.md", "-f 1", "0.1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }

    private String write() throws IOException {
        Path out = dir.resolve("RESULTS.md");
        ResultsWriter.main(new String[] {dir.toString(), out.toString(), "-f 1", "0.10, 0.20, 0.30"});
        return Files.readString(out);
    }

    private void jmh(String file, String... results) throws IOException {
        Files.writeString(dir.resolve(file), "[" + String.join(",", results) + "]");
    }

    private static String result(String benchmark, double score, double error, double bytesPerOp) {
        return """
                {"benchmark": "%s", "mode": "avgt",
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreError": 0.0, "scoreUnit": "B/op"}}}
                """.formatted(benchmark, score, error, bytesPerOp);
    }
}
