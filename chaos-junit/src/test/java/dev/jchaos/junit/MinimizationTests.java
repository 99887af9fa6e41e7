package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import dev.jchaos.junit.demo.Checkout;
import dev.jchaos.junit.demo.Leftovers;
import dev.jchaos.junit.demo.QuoteService;
import dev.jchaos.junit.demo.Sixteen;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The minimal failing configuration, found by re-running real fixture tests with real woven delay points. */
class MinimizationTests {

    @AfterEach
    void stopWhatTheFixturesLeaked() throws InterruptedException {
        Leftovers.stopAll();
    }

    private static final Pattern HEADER = Pattern.compile(
            "Minimal failing configuration \\((\\d+)/(\\d+) attempts leaked, (\\d+) runs?\\):\n");

    /** The configuration lines under the header. */
    private static List<String> minimalSet(String report) {
        Matcher header = HEADER.matcher(report);
        assertThat(header.find()).as("header in %s", report).isTrue();
        List<String> lines = new ArrayList<>();
        for (String line : report.substring(header.end()).split("\n")) {
            if (!line.startsWith("  ")) {
                break;
            }
            lines.add(line.trim());
        }
        return lines;
    }

    private static int runs(String report) {
        Matcher header = HEADER.matcher(report);
        assertThat(header.find()).isTrue();
        return Integer.parseInt(header.group(3));
    }

    private static long threshold(String report, String point) {
        Matcher m = Pattern.compile("Delay threshold: " + Pattern.quote(point) + " leaks from (\\d+)ms")
                .matcher(report);
        assertThat(m.find()).as("threshold of %s in %s", point, report).isTrue();
        return Long.parseLong(m.group(1));
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 8812733)
    @DetectThreadLeaks(lingerMs = 300, attempts = 2)
    static class OneOfFourTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#*", ms = 500)
        void quote() throws Exception {
            try (QuoteService service = new QuoteService()) {
                service.quote();
            }
        }
    }

    @Test
    void findsTheOnePointOfFourThatLeaksAndItsThresholdNearTheTimeout() throws Exception {
        String report = Fixtures.onlyFailure(Fixtures.run(OneOfFourTestCase.class)).getMessage();

        assertThat(report).startsWith("1 thread leaked by MinimizationTests$OneOfFourTestCase.quote():\n"
                + "  1 @ TIMED_WAITING  [price-refresher]\n");
        assertThat(report).contains("      started at dev.jchaos.junit.demo.QuoteService.startRefresher(");
        assertThat(minimalSet(report)).containsExactly("dev.jchaos.junit.demo.QuoteService#price=delay(500ms)");
        assertThat(threshold(report, "dev.jchaos.junit.demo.QuoteService#price"))
                .isBetween(QuoteService.TIMEOUT_MS - 60, QuoteService.TIMEOUT_MS + 200);
        assertThat(report).contains("Replay: @ChaosTest(seed = 8812733) or -Djchaos.seed=8812733\n");
        assertThat(Files.size(Paths.get(System.getProperty("basedir", "."), "target", "jchaos-reports",
                "MinimizationTests$OneOfFourTestCase", "quote.jfr"))).isPositive();
    }

    @Test
    void reportsTheBestSoFarWhenTheRunBudgetIsSpent() {
        String report = Fixtures.onlyFailure(Fixtures.run(OneOfFourTestCase.class,
                ChaosExtension.MAX_RUNS, "2")).getMessage();

        assertThat(report).containsPattern("Minimal failing configuration \\(best so far, search budget of 2 runs "
                + "/ 100 s spent; \\d/2 attempts leaked, \\d runs\\):\n");
        assertThat(report).contains("  dev.jchaos.junit.demo.QuoteService#price=delay(500ms)\n")
                .doesNotContain("Delay threshold");
    }

    @Test
    void aBadBudgetFailsTheTestBeforeItRunsNotInPlaceOfItsReport() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(OneOfFourTestCase.class,
                ChaosExtension.MAX_RUNS, "-3"));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("jchaos.junit.minimize.maxRuns must be a positive integer but was \"-3\"")
                .hasNoCause();
        // refused before the test ran: its body never started the refresher it would have leaked
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("price-refresher"));
        assertThat(Chaos.controller().activations()).isEmpty();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    @DetectThreadLeaks(lingerMs = 300, attempts = 2)
    static class TwoOfFiveTestCase {

        @Test
        @InjectDelay(value = "checkout.*", ms = 300)
        void checkout() throws Exception {
            try (Checkout checkout = new Checkout()) {
                checkout.checkout();
            }
        }
    }

    @Test
    void keepsBothPointsThatOnlyLeakTogether() {
        String report = Fixtures.onlyFailure(Fixtures.run(TwoOfFiveTestCase.class)).getMessage();

        assertThat(minimalSet(report)).containsExactlyInAnyOrder(
                "checkout.reserve=delay(300ms)", "checkout.charge=delay(300ms)");
        // either one alone fits the deadline; with the other at 300 ms it needs just over (deadline - 300) ms more
        long deadlineLeft = Checkout.DEADLINE_MS - 300;
        assertThat(threshold(report, "checkout.reserve")).isBetween(deadlineLeft - 60, deadlineLeft + 200);
        assertThat(threshold(report, "checkout.charge")).isBetween(deadlineLeft - 60, deadlineLeft + 200);
        assertThat(report).containsPattern("Replay: @ChaosTest\\(seed = -?\\d+\\) or -Djchaos.seed=-?\\d+\n");
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 16)
    @DetectThreadLeaks(lingerMs = 300, attempts = 1, shrinkDelays = false)
    static class OneOfSixteenTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.Sixteen#*", ms = 350)
        void run() throws Exception {
            try (Sixteen sixteen = new Sixteen()) {
                sixteen.run();
            }
        }
    }

    @Test
    void findsOneCulpritAmongSixteenPointsInAtMostTenRuns() {
        String report = Fixtures.onlyFailure(Fixtures.run(OneOfSixteenTestCase.class)).getMessage();

        assertThat(minimalSet(report)).containsExactly("dev.jchaos.junit.demo.Sixteen#step11=delay(350ms)");
        // one run without points, at most eight for ddmin over sixteen, one confirmation
        assertThat(runs(report)).isLessThanOrEqualTo(10);
        assertThat(report).doesNotContain("Delay threshold");
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    @DetectThreadLeaks(lingerMs = 100, attempts = 1)
    static class LeaksAnywayTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#audit", ms = 10)
        void leaks() throws Exception {
            try (QuoteService service = new QuoteService()) {
                service.quote();
            }
            LeakDetectionTests.startParker("always-leaks");
        }
    }

    @Test
    void saysWhenTheLeakNeedsNoDelayAtAll() {
        String report = Fixtures.onlyFailure(Fixtures.run(LeaksAnywayTestCase.class)).getMessage();
        assertThat(report).contains("Leaks with no delay point active (1 run): the leak does not need injected "
                + "delays.\n").doesNotContain("Minimal failing configuration");
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 9)
    @DetectThreadLeaks(lingerMs = 100, attempts = 1)
    static class DelaysNothingTestCase {

        @Test
        @InjectDelay(value = "com.acme.nowhere.*", ms = 10)
        void leaks() {
            LeakDetectionTests.startParker("leaks-undelayed");
        }
    }

    @Test
    void saysWhenTheTestsDelaysDecidedNoPoint() {
        String report = Fixtures.onlyFailure(Fixtures.run(DelaysNothingTestCase.class)).getMessage();
        assertThat(report).contains("No delay point was active when it leaked: [com.acme.nowhere.*] decided no "
                + "point woven in this JVM (its class not loaded, a typo, or a method only an earlier test's target "
                + "wove), so the leak does not come from injected delays.\nReplay: @ChaosTest(seed = 9) or "
                + "-Djchaos.seed=9\n")
                .doesNotContain("Minimal failing configuration");
    }

    /** Runs once; every re-run is skipped by its condition, so no re-run can give a result. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 21)
    @DetectThreadLeaks(lingerMs = 300, attempts = 2)
    static class RunsOnlyOnceTestCase {

        static final AtomicInteger RUNS = new AtomicInteger();

        static boolean firstRun() {
            return RUNS.incrementAndGet() == 1;
        }

        @Test
        @EnabledIf("firstRun")
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#*", ms = 500)
        void quote() throws Exception {
            try (QuoteService service = new QuoteService()) {
                service.quote();
            }
        }
    }

    @Test
    void reRunsWithoutAResultAreInconclusiveAndNoMinimalConfigurationIsClaimed() {
        RunsOnlyOnceTestCase.RUNS.set(0);
        String report = Fixtures.onlyFailure(Fixtures.run(RunsOnlyOnceTestCase.class)).getMessage();

        assertThat(report).doesNotContain("Minimal failing configuration (")
                .containsPattern("Minimal failing configuration not reproduced \\(0/2 confirmation attempts leaked, "
                        + "2 without a result \\(the test was skipped: [^\n]*\\), 7 runs; no run of the test gave a "
                        + "result \\(the test was skipped: [^\n]*\\)\\); the full set of points active when it "
                        + "leaked:\n")
                .contains("  dev.jchaos.junit.demo.QuoteService#audit=delay(500ms)\n"
                        + "  dev.jchaos.junit.demo.QuoteService#format=delay(500ms)\n"
                        + "  dev.jchaos.junit.demo.QuoteService#price=delay(500ms)\n"
                        + "  dev.jchaos.junit.demo.QuoteService#validate=delay(500ms)\n")
                .contains("1 candidate without a result even after a retry, so not taken for clean:\n"
                        + "  (no points) (the test was skipped: ")
                .doesNotContain("-> clean")
                .doesNotContain("JFR recording");
    }
}
