package dev.jchaos.benchmarks.startup;

import dev.jchaos.benchmarks.report.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Agent start-up cost: wall time of {@link StartupWorkload} (about 5 000 classes) without an agent, with an agent
 * that does nothing ({@link EmptyAgent}: what {@code -javaagent} itself costs), with one whose only act is a
 * transformer that changes nothing (what seeing every class costs), with the jchaos agent and with the Byteman agent
 * and one rule, in interleaved rounds so that drifting machine load hits every configuration alike.
 * Also reports the process CPU time the workload used up to its last line (less sensitive to other load than wall
 * time), counts the classes each agent wove, and the agent's own classes loaded in all and before {@code main}.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -cp target/benchmarks.jar dev.jchaos.benchmarks.startup.StartupComparison --runs 20 \
 *     [--configs none,empty,transformer,jchaos,jchaos-points,byteman] [--out target/results/startup.properties]}</pre>
 * {@code jchaos} is the agent dormant, as a JVM started with it and not yet using chaos has it; {@code jchaos-points}
 * has {@code -Djchaos.points} name the workload's point (with {@code off}, so that it never fires), so that it weaves
 * from before {@code main}, as a JVM using chaos from its start does.
 * The configuration {@code plain-transformer}, not run by default, is the transformer that changes nothing registered
 * as one that cannot retransform: whether the retransformation capability is what seeing every class costs.
 */
public final class StartupComparison {

    private static final Path JAR = Path.of("target/benchmarks.jar");
    private static final Path JCHAOS_AGENT = Path.of("target/agent/jchaos-agent.jar");
    private static final Path BYTEMAN_AGENT = Path.of("target/agent/byteman.jar");
    private static final Path EMPTY_AGENT = Path.of("target/agent/empty-agent.jar");
    private static final Path TRANSFORMER_AGENT = Path.of("target/agent/unchanging-transformer-agent.jar");
    private static final Path PLAIN_TRANSFORMER_AGENT = Path.of("target/agent/plain-transformer-agent.jar");
    private static final Path BYTEMAN_RULE = Path.of("target/classes/byteman/startup.btm");
    private static final Pattern CLASSES = Pattern.compile("^classes=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern CPU = Pattern.compile("^cpu=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern WOVEN = Pattern.compile("^woven=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern FIRST_USE = Pattern.compile("^firstUse=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern BYTEMAN_INSERTED = Pattern.compile("inserted trigger for .* in class (\\S+)");
    private static final long RUN_LIMIT_SECONDS = 120;

    private StartupComparison() {
    }

    /** One way to start the workload. */
    private record Config(String name, List<String> jvmArgs) {
    }

    /** What one run printed and how long it took. */
    private record Run(long wallNanos, long cpuNanos, long classes, String output) {
    }

    /** Runs the rounds, prints a summary and, with {@code --out}, writes it as properties for the results table. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = 10;
        Path out = null;
        List<String> names = List.of("none", "empty", "transformer", "jchaos", "jchaos-points", "byteman");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = positive("--runs", value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--configs" -> names = Arrays.asList(value(args, ++i).split(","));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (expected --runs N, --configs none,empty,transformer,plain-transformer,jchaos,"
                        + "jchaos-points,byteman, --out FILE)");
            }
        }
        List<Config> configs = new ArrayList<>();
        for (String name : names) {
            configs.add(config(name.trim()));
        }
        Properties result = compare(configs, runs);
        new TreeMap<>(result).forEach((k, v) -> System.out.println(k + " = " + v));
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (var writer = Files.newBufferedWriter(out)) {
                result.store(writer, "start-up comparison, " + runs + " interleaved rounds");
            }
        }
    }

    private static Config config(String name) {
        requireFile(JAR);
        return switch (name) {
            case "none" -> new Config(name, List.of());
            case "empty" -> new Config(name, List.of("-javaagent:" + emptyAgent(EMPTY_AGENT, false)));
            // retransformation-capable, as jchaos's transformer is
            case "transformer" -> new Config(name, List.of("-javaagent:" + emptyAgent(TRANSFORMER_AGENT, true) + "="
                    + EmptyAgent.TRANSFORM));
            case "plain-transformer" -> new Config(name, List.of("-javaagent:"
                    + emptyAgent(PLAIN_TRANSFORMER_AGENT, false) + "=" + EmptyAgent.TRANSFORM_PLAIN));
            case "jchaos" -> new Config(name, List.of("-javaagent:" + requireFile(JCHAOS_AGENT)));
            // chaos in use from the start: a rule that fires nothing, so the agent weaves from before main
            case "jchaos-points" -> new Config(name, List.of("-javaagent:" + requireFile(JCHAOS_AGENT),
                    "-Djchaos.points=" + Pricing.POINT + "=off"));
            case "byteman" -> new Config(name, List.of(
                    "-javaagent:" + requireFile(BYTEMAN_AGENT) + "=script:" + requireFile(BYTEMAN_RULE),
                    "-Dorg.jboss.byteman.compileToBytecode=true"));
            default -> throw new IllegalArgumentException("unknown configuration: " + name
                    + " (expected none, empty, transformer, plain-transformer, jchaos, jchaos-points or byteman)");
        };
    }

    /** Packs {@link EmptyAgent} into a jar of its own, with nothing but its manifest beside it. */
    private static Path emptyAgent(Path jarFile, boolean retransforming) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", EmptyAgent.class.getName());
        if (retransforming) {
            manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        }
        try {
            Files.createDirectories(jarFile.toAbsolutePath().getParent());
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile), manifest)) {
                for (String type : List.of(EmptyAgent.class.getName(), EmptyAgent.class.getName() + "$Unchanged")) {
                    String entry = type.replace('.', '/') + ".class";
                    try (InputStream in = StartupComparison.class.getClassLoader().getResourceAsStream(entry)) {
                        if (in == null) {
                            throw new IllegalStateException(entry + " is missing from the benchmarks jar");
                        }
                        jar.putNextEntry(new JarEntry(entry));
                        jar.write(in.readAllBytes());
                        jar.closeEntry();
                    }
                }
            }
            return jarFile;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + jarFile, e);
        }
    }

    private static Properties compare(List<Config> configs, int runs) throws IOException, InterruptedException {
        // one unmeasured round warms the page cache and the JDK's class data sharing archive
        for (Config config : configs) {
            run(config, List.of());
        }
        Map<String, long[]> wall = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        Map<String, Long> classes = new LinkedHashMap<>();
        for (Config config : configs) {
            wall.put(config.name(), new long[runs]);
            cpu.put(config.name(), new long[runs]);
        }
        for (int round = 0; round < runs; round++) {
            for (int k = 0; k < configs.size(); k++) {
                // rotate the order each round so no configuration always runs first or last
                Config config = configs.get((round + k) % configs.size());
                Run run = run(config, List.of());
                wall.get(config.name())[round] = run.wallNanos();
                cpu.get(config.name())[round] = run.cpuNanos();
                classes.put(config.name(), run.classes());
            }
        }
        Properties result = new Properties();
        result.setProperty("runs", Integer.toString(runs));
        result.setProperty("configs", configs.stream().map(Config::name).collect(Collectors.joining(",")));
        long baseline = wall.containsKey("none") ? Stats.median(wall.get("none")) : 0;
        long cpuBaseline = cpu.containsKey("none") ? Stats.median(cpu.get("none")) : 0;
        long empty = wall.containsKey("empty") ? Stats.median(wall.get("empty")) : 0;
        long cpuEmpty = cpu.containsKey("empty") ? Stats.median(cpu.get("empty")) : 0;
        for (Config config : configs) {
            long[] times = wall.get(config.name());
            long median = Stats.median(times);
            String prefix = config.name() + ".";
            result.setProperty(prefix + "median.ms", millis(median));
            result.setProperty(prefix + "min.ms", millis(Arrays.stream(times).min().orElseThrow()));
            result.setProperty(prefix + "max.ms", millis(Arrays.stream(times).max().orElseThrow()));
            result.setProperty(prefix + "all.ms", Arrays.stream(times).mapToObj(StartupComparison::millis)
                    .collect(Collectors.joining(" ")));
            result.setProperty(prefix + "classes", Long.toString(classes.get(config.name())));
            long[] woven = woven(config);
            result.setProperty(prefix + "woven", Long.toString(woven[0]));
            if (woven[1] > 0) {
                result.setProperty(prefix + "firstUse.ms", String.format(Locale.ROOT, "%.1f", woven[1] / 1e6));
            }
            long[] own = agentClasses(config);
            result.setProperty(prefix + "agentClasses", Long.toString(own[0]));
            result.setProperty(prefix + "agentClassesBeforeMain", Long.toString(own[1]));
            long cpuMedian = Stats.median(cpu.get(config.name()));
            result.setProperty(prefix + "cpu.median.ms", millis(cpuMedian));
            if (baseline > 0) {
                result.setProperty(prefix + "ratio", String.format(Locale.ROOT, "%.3f", (double) median / baseline));
            }
            if (cpuBaseline > 0) {
                result.setProperty(prefix + "cpu.ratio",
                        String.format(Locale.ROOT, "%.3f", (double) cpuMedian / cpuBaseline));
            }
            if (empty > 0 && !config.name().equals("none")) {
                result.setProperty(prefix + "emptyRatio", String.format(Locale.ROOT, "%.3f", (double) median / empty));
                result.setProperty(prefix + "cpu.emptyRatio",
                        String.format(Locale.ROOT, "%.3f", (double) cpuMedian / cpuEmpty));
            }
        }
        return result;
    }

    /**
     * Classes the configuration's agent wove and, for jchaos, how long listing its points took at the workload's end
     * (nanoseconds; chaos's first use when the agent was dormant), from a separate run so that counting costs no
     * measured time.
     */
    private static long[] woven(Config config) throws IOException, InterruptedException {
        switch (config.name()) {
            case "jchaos", "jchaos-points" -> {
                String output = run(config, List.of("-D" + StartupWorkload.COUNT_POINTS + "=true")).output();
                Matcher m = WOVEN.matcher(output);
                Matcher took = FIRST_USE.matcher(output);
                if (!m.find() || !took.find()) {
                    throw new IllegalStateException("the workload did not report jchaos points; is the agent loaded?");
                }
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(took.group(1))};
            }
            case "byteman" -> {
                Matcher m = BYTEMAN_INSERTED.matcher(run(config, List.of("-Dorg.jboss.byteman.verbose=true")).output());
                List<String> woven = new ArrayList<>();
                while (m.find()) {
                    if (!woven.contains(m.group(1))) {
                        woven.add(m.group(1));
                    }
                }
                if (woven.isEmpty()) {
                    throw new IllegalStateException("Byteman inserted no trigger; is " + BYTEMAN_RULE + " right?");
                }
                return new long[] {woven.size(), 0};
            }
            default -> {
                return new long[] {0, 0};
            }
        }
    }

    /**
     * Classes of the agent itself the workload ended up with (jchaos's, relocated ASM included, or Byteman's), in all
     * and before the workload's {@code main} class loaded, from a separate run with {@code -Xlog:class+load}.
     */
    private static long[] agentClasses(Config config) throws IOException, InterruptedException {
        String prefix = switch (config.name()) {
            case "jchaos", "jchaos-points" -> "dev.jchaos.";
            case "byteman" -> "org.jboss.byteman.";
            default -> null;
        };
        if (prefix == null) {
            return new long[] {0, 0};
        }
        Path log = Files.createTempFile("jchaos-startup-classes-", ".log");
        try {
            run(config, List.of("-Xlog:class+load=info:file=" + log));
            long all = 0;
            long beforeMain = -1;
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                int end = line.indexOf("] ", line.indexOf("[class,load"));
                String rest = end < 0 ? "" : line.substring(end + 2);
                int space = rest.indexOf(' ');
                String name = space < 0 ? rest : rest.substring(0, space);
                if (name.equals(StartupWorkload.class.getName()) && beforeMain < 0) {
                    beforeMain = all;
                }
                if (name.startsWith(prefix) && !name.startsWith("dev.jchaos.benchmarks.")) {
                    all++;
                }
            }
            if (beforeMain < 0) {
                throw new IllegalStateException("the class log of " + config.name() + " has no "
                        + StartupWorkload.class.getName());
            }
            return new long[] {all, beforeMain};
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Run run(Config config, List<String> extraArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(config.jvmArgs());
        command.addAll(extraArgs);
        command.addAll(List.of("-cp", JAR.toString(), StartupWorkload.class.getName()));
        Path log = Files.createTempFile("jchaos-startup-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            boolean exited = process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
            long wall = System.nanoTime() - start;
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!exited) {
                process.destroyForcibly();
                throw new IllegalStateException(config.name() + " run did not finish in " + RUN_LIMIT_SECONDS
                        + " s: " + String.join(" ", command) + "\n" + output);
            }
            Matcher classes = CLASSES.matcher(output);
            if (process.exitValue() != 0 || !classes.find()) {
                throw new IllegalStateException(config.name() + " run failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + output);
            }
            Matcher cpu = CPU.matcher(output);
            return new Run(wall, cpu.find() ? Long.parseLong(cpu.group(1)) : 0, Long.parseLong(classes.group(1)),
                    output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " not found: run from chaos-benchmarks/ after"
                    + " mvn -B -f pom.xml package");
        }
        return path;
    }

    private static String millis(long nanos) {
        return Long.toString(TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String name, String text) {
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
