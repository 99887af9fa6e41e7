package dev.jchaos.benchmarks.races;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a published race scenario (a public no-argument method of a class with a public no-argument constructor,
 * such as TSVD4J's {@code DataRace-Project} test) through jchaos's TSVD loop, as {@code @DetectRaces} does: run 1
 * learns, later runs hold threads at the suspects, up to {@code --runs}. Repeats it {@code --trials} times, each in
 * a fresh instance with its own seed, and prints, per trial, the pairs of operations found, the runs it took and
 * the time; then how often each pair was found. Every pair printed is an overlap that really happened.
 *
 * <p>Run by {@code chaos-benchmarks/run-race-anchors.sh}; the scenario's classes come from its own checkout, never
 * from this repository.
 */
public final class RaceAnchors {

    private RaceAnchors() {
    }

    /**
     * Arguments: {@code --class C --method M --watch GLOB [--trials N] [--runs N] [--delay-ms N]}.
     *
     * @throws Exception when the scenario cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        String className = null;
        String methodName = null;
        String watch = null;
        int trials = 10;
        int runs = 3;
        long delayMs = 100;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "--class" -> className = value;
                case "--method" -> methodName = value;
                case "--watch" -> watch = value;
                case "--trials" -> trials = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--delay-ms" -> delayMs = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i - 1]
                        + " (expected --class, --method, --watch, --trials, --runs, --delay-ms)");
            }
        }
        if (className == null || methodName == null || watch == null) {
            throw new IllegalArgumentException("--class, --method and --watch are required");
        }
        if (!Chaos.agentInstalled()) {
            throw new IllegalStateException("run with -javaagent:target/agent/jchaos-agent.jar");
        }
        Class<?> type = Class.forName(className);
        Method method = type.getMethod(methodName);
        Map<String, Integer> foundIn = new TreeMap<>();
        List<Long> times = new ArrayList<>();
        for (int trial = 1; trial <= trials; trial++) {
            Object scenario = type.getConstructor().newInstance();
            long t0 = System.nanoTime();
            Map<String, RaceViolation> found = new TreeMap<>();
            List<String> holdAt = List.of();
            int run = 0;
            while (run < runs) {
                run++;
                Races.Session session = Chaos.races().watch(List.of(watch), Duration.ofMillis(delayMs), holdAt,
                        trial);
                RaceReport report;
                try {
                    method.invoke(scenario);
                } catch (InvocationTargetException e) {
                    // the scenario's own failure (such as the race's NullPointerException) is part of its story
                    System.out.println("  trial " + trial + " run " + run + ": the scenario threw " + e.getCause());
                } finally {
                    report = session.stop();
                }
                for (RaceViolation v : report.violations()) {
                    found.putIfAbsent(key(v), v);
                }
                if (!report.violations().isEmpty() || report.suspects().isEmpty()) {
                    break;
                }
                holdAt = report.suspects();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            times.add(ms);
            found.keySet().forEach(k -> foundIn.merge(k, 1, Integer::sum));
            System.out.println("trial " + trial + ": " + found.size() + " pairs in " + run + " runs, " + ms + " ms "
                    + found.keySet());
            for (RaceViolation v : found.values()) {
                System.out.println("    " + v.line());
            }
        }
        System.out.println("found in trials (of " + trials + "):");
        foundIn.forEach((k, n) -> System.out.println("  " + n + "  " + k));
        times.sort(null);
        System.out.println("time per trial: median " + times.get(times.size() / 2) + " ms, max "
                + times.get(times.size() - 1) + " ms");
    }

    /** A pair of operations on a collection, the order of the two sides left out. */
    private static String key(RaceViolation v) {
        String a = v.held().operation();
        String b = v.other().operation();
        return v.collection() + " " + (a.compareTo(b) <= 0 ? a + "/" + b : b + "/" + a);
    }
}
