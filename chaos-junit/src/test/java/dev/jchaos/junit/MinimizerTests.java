package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MinimizerTests {

    private final List<String> progress = new ArrayList<>();

    private static Map<String, String> points(int n, String actions) {
        Map<String, String> points = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            points.put("p" + i, actions);
        }
        return points;
    }

    private Minimizer minimizer(Predicate<Map<String, String>> leaks, int attempts, boolean shrink) {
        return minimizerOf(leakingWhen(leaks), attempts, shrink);
    }

    private Minimizer minimizerOf(Minimizer.CandidateRun run, int attempts, boolean shrink) {
        return new Minimizer(run, new Minimizer.Settings(attempts, shrink, 100, Duration.ofMinutes(5)),
                progress::add, System::nanoTime);
    }

    /** A run that always gives a result: leaked when {@code leaks} says so. */
    private static Minimizer.CandidateRun leakingWhen(Predicate<Map<String, String>> leaks) {
        return config -> Minimizer.RunResult.of(leaks.test(config));
    }

    /** Leaks when {@code point} is active with a delay of at least {@code thresholdMs}. */
    private static boolean delayedPast(Map<String, String> config, String point, long thresholdMs) {
        String actions = config.get(point);
        if (actions == null) {
            return false;
        }
        String ms = actions.replaceAll(".*delay\\((?:[0-9]+ms\\.\\.)?([0-9]+)ms\\).*", "$1");
        return Long.parseLong(ms) >= thresholdMs;
    }

    @Test
    void findsOneCulpritAmongSixteenInAtMostTenRuns() {
        for (int culprit = 0; culprit < 16; culprit++) {
            String id = "p" + culprit;
            Minimizer minimizer = minimizer(config -> config.containsKey(id), 1, false);
            Minimizer.Result result = minimizer.minimize(points(16, "delay(300ms)"));
            assertThat(result.minimal()).containsOnlyKeys(id);
            assertThat(result.runs()).as("runs for %s", id).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void keepsTwoPointsThatLeakOnlyTogetherAndBisectsBoth() {
        Minimizer minimizer = minimizer(c -> delayedPast(c, "p1", 150) && delayedPast(c, "p4", 90), 1, true);
        Minimizer.Result result = minimizer.minimize(points(5, "delay(400ms)"));
        assertThat(result.minimal()).containsOnlyKeys("p1", "p4");
        assertThat(result.minimal().get("p1")).isEqualTo("delay(400ms)");
        assertThat(result.thresholdsMs().get("p1")).isBetween(150L, 165L);
        assertThat(result.thresholdsMs().get("p4")).isBetween(90L, 99L);
        assertThat(result.complete()).isTrue();
    }

    @Test
    void bisectsTheUpperBoundOfAJitteredDelayAndKeepsItsPrefix() {
        List<Map<String, String>> seen = new ArrayList<>();
        Minimizer minimizer = minimizer(c -> {
            seen.add(c);
            return delayedPast(c, "p0", 210);
        }, 1, true);
        Minimizer.Result result = minimizer.minimize(Map.of("p0", "50%3*delay(200ms..300ms)"));
        assertThat(result.thresholdsMs().get("p0")).isBetween(210L, 231L);
        assertThat(seen.get(seen.size() - 1).get("p0")).matches("50%3\\*delay\\([0-9]+ms\\)");
    }

    @Test
    void countsACandidateAsLeakingWhenAnyAttemptLeaks() {
        Map<Map<String, String>, Integer> calls = new HashMap<>();
        // p2 leaks only on every third run of the same configuration: timing-dependent
        Minimizer minimizer = minimizer(c -> {
            int n = calls.merge(c, 1, Integer::sum);
            return c.containsKey("p2") && n % 3 == 0;
        }, 3, false);
        Minimizer.Result result = minimizer.minimize(points(4, "delay(100ms)"));
        assertThat(result.minimal()).containsOnlyKeys("p2");
    }

    /**
     * A loaded machine can push one run with a short delay past a deadline. The threshold is where every attempt
     * leaks, so that one run does not drag it down: a user compares it with a timeout.
     */
    @Test
    void aDelayThatLeakedInOnlyOneAttemptIsNoThreshold() {
        Map<Map<String, String>, Integer> calls = new HashMap<>();
        // from 200 ms on it always leaks; below, the first attempt of each delay from 100 ms leaks too (noise)
        Minimizer minimizer = minimizer(c -> {
            int n = calls.merge(c, 1, Integer::sum);
            return delayedPast(c, "p0", 200) || (delayedPast(c, "p0", 100) && n == 1);
        }, 3, true);
        Minimizer.Result result = minimizer.minimize(Map.of("p0", "delay(500ms)"));
        assertThat(result.minimal()).containsOnlyKeys("p0");
        assertThat(result.thresholdsMs().get("p0")).isBetween(200L, 220L);
    }

    @Test
    void cachesResultsPerConfiguration() {
        Map<Map<String, String>, Integer> calls = new HashMap<>();
        Minimizer minimizer = minimizer(c -> {
            calls.merge(c, 1, Integer::sum);
            return c.containsKey("p0") && c.containsKey("p3");
        }, 1, false);
        minimizer.minimize(points(6, "delay(100ms)"));
        assertThat(calls.values()).allMatch(n -> n == 1);
        assertThat(progress).hasSize(minimizer.runs()).allMatch(line -> line.startsWith("[jchaos] minimize run "));
    }

    @Test
    void reportsALeakThatNeedsNoPointAfterOneRun() {
        Minimizer minimizer = minimizer(c -> true, 1, true);
        Minimizer.Result result = minimizer.minimize(points(8, "delay(100ms)"));
        assertThat(result.leaksWithoutPoints()).isTrue();
        assertThat(result.runs()).isEqualTo(1);
    }

    @Test
    void stopsAtTheRunBudgetWithTheBestSoFar() {
        Minimizer minimizer = new Minimizer(leakingWhen(c -> c.containsKey("p11")),
                new Minimizer.Settings(1, true, 3, Duration.ofMinutes(5)), progress::add, System::nanoTime);
        Minimizer.Result result = minimizer.minimize(points(16, "delay(100ms)"));
        assertThat(result.complete()).isFalse();
        assertThat(result.minimal()).containsKey("p11").hasSizeLessThan(16);
        assertThat(minimizer.runs()).isEqualTo(3);
    }

    @Test
    void stopsAtTheTimeBudget() {
        AtomicLong clock = new AtomicLong();
        Minimizer minimizer = new Minimizer(leakingWhen(c -> {
            clock.addAndGet(Duration.ofSeconds(20).toNanos());
            return c.containsKey("p5");
        }), new Minimizer.Settings(1, true, 100, Duration.ofSeconds(50)), progress::add, clock::get);
        Minimizer.Result result = minimizer.minimize(points(8, "delay(100ms)"));
        assertThat(result.complete()).isFalse();
        assertThat(minimizer.runs()).isEqualTo(3);
    }

    @Test
    void confirmRunsEveryAttempt() {
        int[] n = {0};
        Minimizer minimizer = minimizer(c -> ++n[0] % 2 == 0, 3, false);
        assertThat(minimizer.confirm(Map.of("p", "delay(1ms)"))).isEqualTo(new Minimizer.Confirmation(1, 2, 0, null));
        assertThat(minimizer.runs()).isEqualTo(3);
    }

    @Test
    void rejectsFewerThanOneAttempt() {
        assertThatThrownBy(() -> minimizer(c -> false, 0, false))
                .hasMessageContaining("attempts").hasMessageContaining("but was 0");
    }

    @Test
    void convertsDurationsToMillis() {
        assertThat(Minimizer.toMillis("2", "s")).isEqualTo(2000);
        assertThat(Minimizer.toMillis("1500", "us")).isEqualTo(2);
        assertThat(Minimizer.toMillis("250", null)).isEqualTo(250);
    }

    @Test
    void aRunWithoutAResultIsRetriedAndThenCountsAsInconclusiveNeverClean() {
        // p3 is the culprit, but every run of a configuration holding p1 gives no result
        Minimizer minimizer = minimizerOf(config -> config.containsKey("p1")
                ? Minimizer.RunResult.inconclusive("the test was not found by its unique id")
                : Minimizer.RunResult.of(config.containsKey("p3")), 1, false);

        Minimizer.Result result = minimizer.minimize(points(4, "delay(100ms)"));

        assertThat(result.minimal()).containsOnlyKeys("p3");
        assertThat(result.inconclusive()).isNotEmpty()
                .allMatch(candidate -> candidate.contains("p1=") && candidate.endsWith(
                        "(the test was not found by its unique id)"));
        assertThat(progress).anyMatch(line -> line.contains(" (retry): ") && line.contains("-> inconclusive: "))
                .noneMatch(line -> line.contains("p1=") && line.endsWith("clean (0 ms)"));
    }

    @Test
    void anInconclusiveCandidateIsNeverShrunkTo() {
        // only the full set gives results; every subset is inconclusive, so the full set stays minimal
        Minimizer minimizer = minimizerOf(config -> config.size() == 4 ? Minimizer.RunResult.of(true)
                : config.isEmpty() ? Minimizer.RunResult.of(false)
                : Minimizer.RunResult.inconclusive("crashed"), 1, false);

        Minimizer.Result result = minimizer.minimize(points(4, "delay(100ms)"));

        assertThat(result.minimal()).containsOnlyKeys("p0", "p1", "p2", "p3");
        assertThat(result.inconclusive()).isNotEmpty();
    }

    @Test
    void stopsWhenNoRunOfTheTestEverGivesAResult() {
        AtomicInteger calls = new AtomicInteger();
        Minimizer minimizer = minimizerOf(config -> {
            calls.incrementAndGet();
            return Minimizer.RunResult.inconclusive("the test was skipped: disabled");
        }, 2, true);

        Minimizer.Result result = minimizer.minimize(points(8, "delay(100ms)"));

        assertThat(result.complete()).isFalse();
        assertThat(result.leaksWithoutPoints()).isFalse();
        assertThat(result.stoppedBecause()).contains("no run of the test gave a result")
                .contains("the test was skipped: disabled");
        assertThat(result.minimal()).hasSize(8);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void confirmationCountsRunsWithoutAResultApart() {
        int[] n = {0};
        Minimizer minimizer = minimizerOf(config -> ++n[0] <= 2 ? Minimizer.RunResult.inconclusive("crashed")
                : Minimizer.RunResult.of(false), 2, false);
        // attempt 1: inconclusive, retried, inconclusive again; attempt 2: clean
        assertThat(minimizer.confirm(Map.of("p", "delay(1ms)")))
                .isEqualTo(new Minimizer.Confirmation(0, 1, 1, "crashed"));
        assertThat(minimizer.runs()).isEqualTo(3);
    }
}
