package dev.jchaos.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Writes {@code RESULTS.md} from one comparison run: the JMH JSON files, the activation-latency and start-up
 * properties in a results directory, and the machine they ran on.
 *
 * <p>Called by {@code chaos-benchmarks/run-comparison.sh}; on its own, from {@code chaos-benchmarks/}:
 * <pre>{@code java -cp target/benchmarks.jar dev.jchaos.benchmarks.report.ResultsWriter target/results RESULTS.md \
 *     "<JMH options>" "<load average before>"}</pre>
 */
public final class ResultsWriter {

    private static final String JCHAOS = "dev.jchaos.benchmarks.jchaos.";
    private static final String PEERS = "dev.jchaos.benchmarks.peers.";

    /** One row of the per-call table: a benchmark and the un-instrumented benchmark it is compared with. */
    private record Row(String label, String benchmark, String baseline) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("(a) un-woven method, jchaos agent loaded", JCHAOS + "PointCostBenchmark.unwoven", null),
            new Row("(b) jchaos dormant point", JCHAOS + "PointCostBenchmark.dormant",
                    JCHAOS + "PointCostBenchmark.unwoven"),
            new Row("(a) un-woven, 128 calls per invocation (per call)", JCHAOS + "PointCostBenchmark.unwovenBatch",
                    null),
            new Row("(b) jchaos dormant point, 128 calls per invocation (per call)",
                    JCHAOS + "PointCostBenchmark.dormantBatch", JCHAOS + "PointCostBenchmark.unwovenBatch"),
            new Row("(b2) jchaos point disarmed, still warm (< 30 s)", JCHAOS + "PointCostBenchmark.disarmedWarm",
                    JCHAOS + "PointCostBenchmark.unwoven"),
            new Row("(c) jchaos point armed `0%delay(1ms)`", JCHAOS + "PointCostBenchmark.armedZeroPercent",
                    JCHAOS + "PointCostBenchmark.unwoven"),
            new Row("(a2) un-woven method, 2 threads", JCHAOS + "PointCostBenchmark.unwovenTwoThreads", null),
            new Row("(c2) jchaos armed `0%`, 2 threads on one point",
                    JCHAOS + "PointCostBenchmark.armedZeroPercentTwoThreadsOnePoint",
                    JCHAOS + "PointCostBenchmark.unwovenTwoThreads"),
            new Row("(c3) jchaos armed `0%`, 2 threads on two points",
                    JCHAOS + "PointCostBenchmark.armedZeroPercentTwoThreadsTwoPoints",
                    JCHAOS + "PointCostBenchmark.unwovenTwoThreads"),
            new Row("(b') jchaos dormant point, another point active",
                    JCHAOS + "PointCostBenchmark.dormantWhileOtherActive", JCHAOS + "PointCostBenchmark.unwoven"),
            new Row("jchaos armed `0%`, metrics not bound", JCHAOS + "OutcomeRecordingBenchmark.armedWithoutMetrics",
                    JCHAOS + "OutcomeRecordingBenchmark.unwoven"),
            new Row("jchaos armed `0%`, `ChaosMetrics` bound", JCHAOS + "OutcomeRecordingBenchmark.armedWithMetrics",
                    JCHAOS + "OutcomeRecordingBenchmark.armedWithoutMetrics"),
            new Row("un-instrumented method, Byteman agent loaded", PEERS + "BytemanBenchmark.plain", null),
            new Row("(d) Byteman rule, condition false, compiled", PEERS + "BytemanBenchmark.falseConditionRule",
                    PEERS + "BytemanBenchmark.plain"),
            new Row("un-instrumented method, no agent", PEERS + "SpringAopBenchmark.plain", null),
            new Row("(e) Spring AOP JDK proxy, pass-through interceptor", PEERS + "SpringAopBenchmark.springJdkProxy",
                    PEERS + "SpringAopBenchmark.plain"),
            new Row("(e) Spring AOP CGLIB proxy, pass-through interceptor",
                    PEERS + "SpringAopBenchmark.springCglibProxy", PEERS + "SpringAopBenchmark.plain"),
            new Row("(f) Chaos Monkey for Spring Boot service watcher, monkey disabled",
                    PEERS + "SpringAopBenchmark.chaosMonkeyWatcher", PEERS + "SpringAopBenchmark.plain"));

    /** The race-watching rows: a {@code HashMap.get} call site, watched with nothing suspect, and not. */
    private static final List<Row> RACE_ROWS = List.of(
            new Row("`HashMap.get` call site, class not watched", JCHAOS + "RaceWatchBenchmark.unwatchedGet", null),
            new Row("`HashMap.get` call site, watched, nothing suspect", JCHAOS + "RaceWatchBenchmark.watchedGet",
                    JCHAOS + "RaceWatchBenchmark.unwatchedGet"),
            new Row("not watched, 2 threads", JCHAOS + "RaceWatchBenchmark.unwatchedGetTwoThreads", null),
            new Row("watched, nothing suspect, 2 threads", JCHAOS + "RaceWatchBenchmark.watchedGetTwoThreads",
                    JCHAOS + "RaceWatchBenchmark.unwatchedGetTwoThreads"));

    /** A JMH score: mean, 99.9% error half-width and allocation per operation (NaN when not profiled). */
    private record Score(double mean, double error, double bytesPerOp) {
    }

    private final Map<String, Score> scores = new HashMap<>();
    private final StringBuilder md = new StringBuilder();

    private ResultsWriter() {
    }

    /**
     * Arguments: results directory, output file, the JMH options used, the load average when the run began.
     *
     * @throws IOException when a result file cannot be read or the output written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("expected 4 arguments (results dir, output file, JMH options,"
                    + " load before) but got " + args.length);
        }
        new ResultsWriter().write(Path.of(args[0]), Path.of(args[1]), args[2], args[3]);
    }

    private void write(Path dir, Path out, String jmhOptions, String loadBefore) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("results directory not found: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path json : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                readJmh(json);
            }
        }
        header(jmhOptions, loadBefore);
        perCall();
        raceWatching();
        Properties latency = properties(dir.resolve("latency.properties"));
        Properties startup = properties(dir.resolve("startup.properties"));
        goals(latency, startup);
        latency(latency);
        startup(startup);
        anchors(out.toAbsolutePath().getParent().resolve("race-anchors.md"));
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private void readJmh(Path json) throws IOException {
        for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
            JsonNode primary = result.get("primaryMetric");
            JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
            scores.put(result.get("benchmark").asText(), new Score(primary.get("score").asDouble(),
                    primary.get("scoreError").asDouble(), alloc.isMissingNode() ? Double.NaN
                    : alloc.get("score").asDouble()));
        }
    }

    private void header(String jmhOptions, String loadBefore) {
        md.append("# jchaos benchmark results\n\n");
        md.append("Written by `chaos-benchmarks/run-comparison.sh` on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". All numbers come from this one run.\n\n");
        md.append("| machine | |\n|---|---|\n");
        md.append("| CPU | ").append(cpuModel()).append(" |\n");
        md.append("| `nproc` | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        md.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
                .append(") |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(" |\n");
        md.append("| load average (1, 5, 15 min) at start | ").append(loadBefore).append(" |\n");
        md.append("| load average at end | ").append(loadAverage()).append(" |\n");
        md.append("| JMH options | `").append(jmhOptions).append("` |\n\n");
        md.append("The machine is shared: a load average above `nproc` means other processes competed for the cores, "
                + "which widens the errors and inflates the slower peers more than the cheap cases.\n\n");
    }

    private void perCall() {
        md.append("## Cost per call\n\n");
        md.append("The same trivial method (`x * 31 + 7`), JMH average time. *Over baseline* subtracts the "
                + "un-instrumented method measured in the same JVM configuration (for the metrics row: the armed "
                + "point without metrics). ± is JMH's 99.9% confidence half-width.\n\n");
        table(ROWS);
    }

    private void raceWatching() {
        md.append("## Race watching\n\n");
        md.append("A `HashMap.get` on a 64-entry map from a call site in a class that is not watched, and from one in a "
                + "class `Races.watch(..)` covers, with a session running and nothing suspect (`RaceWatchBenchmark`): "
                + "what a watched call costs when no thread is near it.\n\n");
        table(RACE_ROWS);
    }

    private void table(List<Row> rows) {
        md.append("| case | ns/op | ± | over baseline, ns | allocated B/op |\n|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            Score score = scores.get(row.benchmark());
            if (score == null) {
                md.append("| ").append(row.label()).append(" | not run | | | |\n");
                continue;
            }
            md.append("| ").append(row.label()).append(" | ").append(f2(score.mean())).append(" | ")
                    .append(f2(score.error())).append(" | ");
            Score base = row.baseline() == null ? null : scores.get(row.baseline());
            md.append(base == null ? "—" : f2(score.mean() - base.mean()) + " ± " + f2(diffError(score, base)));
            md.append(" | ").append(Double.isNaN(score.bytesPerOp()) ? "—" : f1(score.bytesPerOp())).append(" |\n");
        }
        md.append('\n');
    }

    private void goals(Properties latency, Properties startup) {
        md.append("## Goals\n\n| goal | measured | met |\n|---|---|---|\n");
        Score unwoven = scores.get(JCHAOS + "PointCostBenchmark.unwoven");
        Score dormant = scores.get(JCHAOS + "PointCostBenchmark.dormant");
        overheadGoal("dormant point ≤ 0.3 ns over un-woven", dormant, unwoven, 0.3);
        overheadGoal("dormant point ≤ 0.3 ns over un-woven, 128 calls per invocation",
                scores.get(JCHAOS + "PointCostBenchmark.dormantBatch"),
                scores.get(JCHAOS + "PointCostBenchmark.unwovenBatch"), 0.3);
        overheadGoal("dormant point while another is active ≤ 2 ns over un-woven",
                scores.get(JCHAOS + "PointCostBenchmark.dormantWhileOtherActive"), unwoven, 2);
        overheadGoal("armed `0%` point ≤ 15 ns over un-woven",
                scores.get(JCHAOS + "PointCostBenchmark.armedZeroPercent"), unwoven, 15);
        Score unwovenTwo = scores.get(JCHAOS + "PointCostBenchmark.unwovenTwoThreads");
        overheadGoal("armed `0%`, 2 threads on one point ≤ 2 × 15 ns over un-woven (2 threads)",
                scores.get(JCHAOS + "PointCostBenchmark.armedZeroPercentTwoThreadsOnePoint"), unwovenTwo, 30);
        overheadGoal("armed `0%`, 2 threads on two points ≤ 2 × 15 ns over un-woven (2 threads)",
                scores.get(JCHAOS + "PointCostBenchmark.armedZeroPercentTwoThreadsTwoPoints"), unwovenTwo, 30);
        overheadGoal("recording a call's outcome with metrics bound ≤ 20 ns",
                scores.get(JCHAOS + "OutcomeRecordingBenchmark.armedWithMetrics"),
                scores.get(JCHAOS + "OutcomeRecordingBenchmark.armedWithoutMetrics"), 20);
        allocationGoal("dormant point allocates nothing", dormant);
        allocationGoal("armed `0%` point allocates nothing", scores.get(JCHAOS + "PointCostBenchmark.armedZeroPercent"));
        allocationGoal("outcome recording allocates nothing",
                scores.get(JCHAOS + "OutcomeRecordingBenchmark.armedWithMetrics"));
        cheaperGoal("dormant point ≥ 10× cheaper than (d) Byteman", dormant, unwoven,
                PEERS + "BytemanBenchmark.falseConditionRule", PEERS + "BytemanBenchmark.plain");
        cheaperGoal("dormant point ≥ 10× cheaper than (e) Spring AOP (JDK proxy)", dormant, unwoven,
                PEERS + "SpringAopBenchmark.springJdkProxy", PEERS + "SpringAopBenchmark.plain");
        cheaperGoal("dormant point ≥ 10× cheaper than (e) Spring AOP (CGLIB proxy)", dormant, unwoven,
                PEERS + "SpringAopBenchmark.springCglibProxy", PEERS + "SpringAopBenchmark.plain");
        if (latency != null) {
            double activate = Double.parseDouble(latency.getProperty("activate.p50.us"));
            md.append("| `activate(..)` of a woven point ≤ 100 µs median | median ").append(activate).append(" µs | ")
                    .append(activate <= 100 ? "yes" : "no").append(" |\n");
            double p99 = Double.parseDouble(latency.getProperty("latency.p99.us"));
            md.append("| activate → first delay on a hot thread ≤ 1 ms p99 | p99 ").append(p99).append(" µs, max ")
                    .append(latency.getProperty("latency.max.us")).append(" µs | ").append(p99 <= 1000 ? "yes" : "no")
                    .append(" |\n");
        } else {
            md.append("| `activate(..)` of a woven point ≤ 100 µs median | not run | |\n");
            md.append("| activate → first delay on a hot thread ≤ 1 ms p99 | not run | |\n");
        }
        if (startup != null && startup.getProperty("jchaos.ratio") != null) {
            double ratio = Double.parseDouble(startup.getProperty("jchaos.ratio"));
            md.append("| start-up (wall) with the jchaos agent ≤ 1.05× without | ").append(f2(ratio)).append("× | ")
                    .append(ratio <= 1.05 ? "yes" : "no").append(" |\n");
            String cpu = startup.getProperty("jchaos.cpu.ratio");
            if (cpu != null) {
                double cpuRatio = Double.parseDouble(cpu);
                md.append("| start-up (CPU) with the jchaos agent ≤ 1.05× without | ").append(f2(cpuRatio))
                        .append("× | ").append(cpuRatio <= 1.05 ? "yes" : "no").append(" |\n");
            }
        } else {
            md.append("| start-up with the jchaos agent ≤ 1.05× without | not run | |\n");
        }
        md.append('\n');
    }

    private void overheadGoal(String goal, Score score, Score base, double limitNanos) {
        if (score == null || base == null) {
            md.append("| ").append(goal).append(" | not run | |\n");
            return;
        }
        double over = score.mean() - base.mean();
        double error = diffError(score, base);
        String met = over + error <= limitNanos ? "yes" : over - error > limitNanos ? "no"
                : "undecided: the error is wider than the margin";
        md.append("| ").append(goal).append(" | ").append(f2(over)).append(" ± ").append(f2(error))
                .append(" ns | ").append(met).append(" |\n");
    }

    private void allocationGoal(String goal, Score score) {
        if (score == null || Double.isNaN(score.bytesPerOp())) {
            md.append("| ").append(goal).append(" | not run | |\n");
            return;
        }
        md.append("| ").append(goal).append(" | ").append(f1(score.bytesPerOp())).append(" B/op | ")
                .append(score.bytesPerOp() < 0.5 ? "yes" : "no").append(" |\n");
    }

    /**
     * Compares overheads. A dormant overhead smaller than its own error cannot be told from zero, so the ratio then
     * divides by the error instead and is reported as a lower bound. The verdict uses the conservative ratio: the
     * peer's overhead at the low end of its error over ours at the high end.
     */
    private void cheaperGoal(String goal, Score dormant, Score unwoven, String peer, String peerBase) {
        Score p = scores.get(peer);
        Score pb = scores.get(peerBase);
        if (dormant == null || unwoven == null || p == null || pb == null) {
            md.append("| ").append(goal).append(" | not run | |\n");
            return;
        }
        double ours = dormant.mean() - unwoven.mean();
        double floor = Math.max(diffError(dormant, unwoven), 0.01);
        double theirs = p.mean() - pb.mean();
        boolean bound = ours < floor;
        double ratio = theirs / Math.max(ours, floor);
        double conservative = (theirs - diffError(p, pb)) / Math.max(ours + diffError(dormant, unwoven), 0.01);
        double optimistic = (theirs + diffError(p, pb)) / Math.max(ours - diffError(dormant, unwoven), 0.01);
        String met = conservative >= 10 ? "yes" : optimistic < 10 ? "no"
                : "undecided: errors too wide (conservative ratio " + f1(Math.max(conservative, 0)) + "×)";
        md.append("| ").append(goal).append(" | ").append(f2(theirs)).append(" ns vs ").append(f2(ours))
                .append(" ns: ").append(bound ? "≥ " : "").append(f1(ratio)).append("× | ").append(met)
                .append(" |\n");
    }

    private void latency(Properties latency) {
        md.append("## Activation latency\n\n");
        if (latency == null) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("From just before `activate(\"bench.latency\", \"").append(latency.getProperty("actions"))
                .append("\")` on one thread to the moment the first delay began on a thread spinning through "
                + "the point (`ActivationLatency`, ").append(latency.getProperty("trials")).append(" trials of "
                + "deactivate, activate). The point is warm: after the first trial, activating it is one write and "
                + "deoptimises nothing. A cold point (never armed, or disarmed for 30 s) is measured apart: arming "
                + "it deoptimises its compiled callers.\n\n");
        md.append("| | median µs | p90 µs | p99 µs | max µs |\n|---|---:|---:|---:|---:|\n");
        Map<String, String> labels = Map.of("latency", "activate → first delay", "activate",
                "`activate(..)` call itself", "cold", "`activate(..)` of a cold point, callers compiled ("
                        + latency.getProperty("cold.trials", "?") + " points)", "retransform",
                "`activate(\"fqcn#method\", ..)` needing a retransformation ("
                        + latency.getProperty("retransform.trials", "?") + " methods)");
        for (String name : List.of("latency", "activate", "cold", "retransform")) {
            if (latency.getProperty(name + ".p50.us") == null) {
                continue;
            }
            md.append("| ").append(labels.get(name))
                    .append(" | ").append(latency.getProperty(name + ".p50.us")).append(" | ")
                    .append(latency.getProperty(name + ".p90.us")).append(" | ")
                    .append(latency.getProperty(name + ".p99.us")).append(" | ")
                    .append(latency.getProperty(name + ".max.us")).append(" |\n");
        }
        md.append('\n');
    }

    private void startup(Properties startup) {
        md.append("## Agent start-up cost\n\n");
        if (startup == null) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("Wall time of `StartupWorkload` (a Spring context with an AOP proxy, Jackson, H2, JDK XML, SpEL, "
                + "Micrometer JVM metrics, an HTTP client) from process start to exit, ")
                .append(startup.getProperty("runs")).append(" interleaved rounds (`StartupComparison`). "
                + "*CPU* is the process CPU time the workload reports at its end (agent start and class loading included; "
                + "less sensitive to other load than wall time). The *empty agent* does nothing in its `premain`: it "
                + "is what `-javaagent` itself costs this JVM, so *÷ empty* is what an agent adds by what it does. The "
                + "*transformer that changes nothing* is retransformation-capable and returns every class as it came: "
                + "what the JVM charges for handing each class it loads to a Java transformer, as any agent that "
                + "weaves classes when they load must. "
                + "A *dormant* jchaos agent hands no class to a transformer until chaos is first used (points listed "
                + "or activated, a target or a race watch); the workload does not use it while it starts, as a "
                + "service started with the agent for later experiments does not. With `jchaos.points` the agent "
                + "weaves from before `main`. "
                + "*Woven* counts the classes the agent instrumented, after the workload lists jchaos's points at its "
                + "end in a separate run; *agent's own classes* those of the agent itself "
                + "the JVM loaded (jchaos's with its relocated ASM, or Byteman's), in all and before the workload's "
                + "`main`, from a separate run with `-Xlog:class+load`.\n\n");
        md.append("| configuration | median ms | min ms | max ms | ratio ÷ no agent | ratio ÷ empty | median CPU ms | "
                + "CPU ratio ÷ no agent | CPU ratio ÷ empty | classes loaded | classes woven | agent's own classes "
                + "(before `main`) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, String> names = Map.of("none", "no agent", "empty", "empty agent (does nothing)",
                "transformer", "agent with a transformer that changes nothing",
                "jchaos", "jchaos agent, dormant (chaos not used while starting)",
                "jchaos-points", "jchaos agent, the point named in `jchaos.points` (weaving from before `main`)",
                "byteman", "Byteman agent, one rule (compiled)");
        for (String config : startup.getProperty("configs").split(",")) {
            md.append("| ").append(names.getOrDefault(config, config)).append(" | ")
                    .append(startup.getProperty(config + ".median.ms")).append(" | ")
                    .append(startup.getProperty(config + ".min.ms")).append(" | ")
                    .append(startup.getProperty(config + ".max.ms")).append(" | ")
                    .append(startup.getProperty(config + ".ratio", "—")).append(" | ")
                    .append(startup.getProperty(config + ".emptyRatio", "—")).append(" | ")
                    .append(startup.getProperty(config + ".cpu.median.ms", "—")).append(" | ")
                    .append(startup.getProperty(config + ".cpu.ratio", "—")).append(" | ")
                    .append(startup.getProperty(config + ".cpu.emptyRatio", "—")).append(" | ")
                    .append(startup.getProperty(config + ".classes")).append(" | ")
                    .append(startup.getProperty(config + ".woven")).append(" | ")
                    .append(startup.getProperty(config + ".agentClasses", "—"));
            String beforeMain = startup.getProperty(config + ".agentClassesBeforeMain");
            if (beforeMain != null && !"0".equals(startup.getProperty(config + ".agentClasses", "0"))) {
                md.append(" (").append(beforeMain).append(')');
            }
            md.append(" |\n");
        }
        md.append('\n');
        String firstUse = startup.getProperty("jchaos.firstUse.ms");
        if (firstUse != null) {
            md.append("Chaos's first use after the dormant start (the workload listing the points once it is done, "
                    + startup.getProperty("jchaos.classes") + " classes loaded: the search of the loaded classes and "
                    + "weaving the ").append(startup.getProperty("jchaos.woven")).append(" that declare points) took ")
                    .append(firstUse).append(" ms");
            String armed = startup.getProperty("jchaos-points.firstUse.ms");
            if (armed != null) {
                md.append("; the same listing with the agent weaving from the start took ").append(armed).append(" ms");
            }
            md.append(".\n\n");
        }
    }

    /** The race-anchor comparison is measured by hand (it needs the anchors' checkouts); kept beside RESULTS.md. */
    private void anchors(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            md.append(Files.readString(file, StandardCharsets.UTF_8).strip()).append('\n');
        }
    }

    private static double diffError(Score a, Score b) {
        return Math.sqrt(a.error() * a.error() + b.error() * b.error());
    }

    private static Properties properties(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
