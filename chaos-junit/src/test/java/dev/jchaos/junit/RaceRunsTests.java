package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop over runs, on made-up reports: when it re-runs, with what, and when it stops. */
class RaceRunsTests {

    private static final RaceRuns.Settings THREE = new RaceRuns.Settings(List.of("com.acme.*"), 100, 3);

    private static RaceViolation violation() {
        StackTraceElement site = new StackTraceElement("com.acme.Tally", "add", "Tally.java", 12);
        return new RaceViolation("java.util.HashMap",
                new RaceViolation.Access("put", "com.acme.Tally.add(Tally.java:12)", "adder-1", List.of(site)),
                new RaceViolation.Access("put", "com.acme.Tally.add(Tally.java:12)", "adder-2", List.of(site)), 3);
    }

    private static RaceReport suspects(String... sites) {
        return new RaceReport(List.of(), List.of(sites));
    }

    @Test
    void aViolationInTheFirstRunIsReportedWithoutReRunning() {
        List<List<String>> reruns = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        RaceRuns.Outcome outcome = RaceRuns.follow("T.t()", THREE, new RaceReport(List.of(violation()), List.of()),
                holdAt -> {
                    reruns.add(holdAt);
                    return RaceRuns.RunResult.none("unused");
                }, null, progress::add);
        assertThat(outcome.violations()).hasSize(1);
        assertThat(outcome.run()).isEqualTo(1);
        assertThat(reruns).isEmpty();
        assertThat(progress).isEmpty();
    }

    @Test
    void suspectsAreHeldInTheNextRunUntilAViolationShows() {
        List<List<String>> reruns = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        RaceRuns.Outcome outcome = RaceRuns.follow("T.t()", THREE, suspects("a", "b"), holdAt -> {
            reruns.add(holdAt);
            return RaceRuns.RunResult.of(reruns.size() == 1 ? suspects("b")
                    : new RaceReport(List.of(violation()), List.of()));
        }, null, progress::add);
        assertThat(reruns).containsExactly(List.of("a", "b"), List.of("b"));
        assertThat(outcome.run()).isEqualTo(3);
        assertThat(outcome.violations()).hasSize(1);
        assertThat(progress).containsExactly(
                "[jchaos] T.t(): race run 1 of 3: 2 suspect call sites, no violation; running again with threads "
                        + "held there for 100ms",
                "[jchaos] T.t(): race run 2 of 3: 1 suspect call site, no violation; running again with threads "
                        + "held there for 100ms",
                "[jchaos] T.t(): race run 3 of 3: 1 thread-safety violation");
    }

    @Test
    void runsAreBoundedAndSuspectsThatNeverOverlappedAreNotReported() {
        List<String> progress = new ArrayList<>();
        RaceRuns.Outcome outcome = RaceRuns.follow("T.t()", THREE, suspects("a"),
                holdAt -> RaceRuns.RunResult.of(suspects("a")), null, progress::add);
        assertThat(outcome.violations()).isEmpty();
        assertThat(outcome.run()).isEqualTo(3);
        assertThat(outcome.stoppedBecause()).isNull();
        assertThat(progress).last().isEqualTo("[jchaos] T.t(): race run 3 of 3: no violation, 1 suspect call site "
                + "never overlapped");
    }

    @Test
    void oneRunOnlyNeverReRuns() {
        RaceRuns.Settings once = new RaceRuns.Settings(List.of("com.acme.*"), 100, 1);
        RaceRuns.Outcome outcome = RaceRuns.follow("T.t()", once, suspects("a"),
                holdAt -> {
                    throw new AssertionError("re-ran");
                }, null, line -> { });
        assertThat(outcome.run()).isEqualTo(1);
        assertThat(outcome.suspects()).containsExactly("a");
    }

    @Test
    void aReRunWithoutAResultIsRetriedOnceThenTheLoopStopsSayingWhy() {
        int[] calls = {0};
        RaceRuns.Outcome outcome = RaceRuns.follow("T.t()", THREE, suspects("a"), holdAt -> {
            calls[0]++;
            return RaceRuns.RunResult.none("the test was skipped: disabled");
        }, null, line -> { });
        assertThat(calls[0]).isEqualTo(2);
        assertThat(outcome.violations()).isEmpty();
        assertThat(outcome.stoppedBecause()).isEqualTo("race run 2 gave no result: the test was skipped: disabled");

        int[] flaky = {0};
        RaceRuns.Outcome retried = RaceRuns.follow("T.t()", THREE, suspects("a"), holdAt -> ++flaky[0] == 1
                ? RaceRuns.RunResult.none("timed out")
                : RaceRuns.RunResult.of(new RaceReport(List.of(violation()), List.of())), null, line -> { });
        assertThat(retried.violations()).hasSize(1);
        assertThat(retried.run()).isEqualTo(2);
    }

    @Test
    void withoutALauncherTheSuspectsAreNamedAndNotFollowed() {
        RaceRuns.Outcome outcome = RaceRuns.follow("T.t()", THREE, suspects("a"), holdAt -> {
            throw new AssertionError("re-ran");
        }, "no launcher", line -> { });
        assertThat(outcome.violations()).isEmpty();
        assertThat(outcome.stoppedBecause()).isEqualTo("no launcher");
        assertThat(outcome.suspects()).containsExactly("a");
    }

    @Test
    void theReportHasTheContractsShape() {
        RaceRuns.Outcome outcome = new RaceRuns.Outcome(List.of(violation()), 2, List.of(), null);
        assertThat(RaceRuns.render("TallyTest.twoAddersCount()", THREE, outcome, 8812733)).isEqualTo(
                "1 thread-safety violation in TallyTest.twoAddersCount():\n"
                        + "  java.util.HashMap: put while put on one instance (seen 3 times)\n"
                        + "    adder-1  put\n"
                        + "      at com.acme.Tally.add(Tally.java:12)\n"
                        + "    adder-2  put\n"
                        + "      at com.acme.Tally.add(Tally.java:12)\n"
                        + "Exposed in run 2 of 3 by holding com.acme.Tally.add(Tally.java:12) for 100ms\n"
                        + "Replay: @ChaosTest(seed = 8812733) or -Djchaos.seed=8812733\n");
    }
}
