package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.junit.demo.Leftovers;
import dev.jchaos.junit.demo.SharedCollections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@link DetectRaces} on real fixture tests through {@link org.junit.platform.testkit.engine.EngineTestKit}: racy
 * code is found with both stacks and the run that exposed it, clean code never is, and the re-runs keep the test's
 * own delay points and seed.
 */
class RaceDetectionTests {

    @AfterEach
    void stopWhatTheFixturesLeaked() throws InterruptedException {
        Leftovers.stopAll();
    }

    private static final String DEMO = SharedCollections.class.getName();
    private static final Pattern EXPOSED = Pattern.compile("Exposed in run (\\d) of (\\d) by holding (.+) for (\\d+)ms\n");

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectRaces
    @ChaosTest(seed = 8812733)
    static class RacyTestCase {

        @Test
        void lostUpdate() throws Exception {
            SharedCollections.lostUpdate();
        }

        @Test
        void iterateWhileWrite() throws Exception {
            SharedCollections.iterateWhileWrite();
        }

        @Test
        void readWhileReload() throws Exception {
            SharedCollections.readWhileReload();
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectRaces(packages = "dev.jchaos.junit.demo.*")
    static class NearMissTestCase {

        @Test
        void fifteenMillisecondsApart() throws Exception {
            SharedCollections.nearMiss();
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectRaces
    static class CleanTestCase {

        @Test
        void lock() throws Exception {
            assertThat(SharedCollections.locked().values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(4_000);
        }

        @Test
        void concurrentHashMap() throws Exception {
            assertThat(SharedCollections.concurrentMap().values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(4_000);
        }

        @Test
        void synchronizedMap() throws Exception {
            SharedCollections.synchronizedMap();
        }

        @Test
        void handOffAfterJoin() throws Exception {
            assertThat(SharedCollections.handOffAfterJoin()).hasSize(101);
        }

        @Test
        void threadConfinement() throws Exception {
            SharedCollections.confined();
        }

        @Test
        void singleThread() {
            assertThat(SharedCollections.singleThread()).hasSize(50);
        }
    }

    /** Where the extension writes reports: under Surefire's {@code basedir}. */
    private static Path reports() {
        String base = System.getProperty("basedir");
        return (base == null ? Paths.get("target") : Paths.get(base, "target")).resolve("jchaos-reports");
    }

    private static String report(Throwable failure) {
        assertThat(failure).isInstanceOf(ThreadSafetyViolationError.class);
        return failure.getMessage();
    }

    private static Throwable failureOf(EngineExecutionResults results, String method) {
        return results.testEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                        .getThrowable().orElseThrow())
                .findFirst().orElseThrow(() -> new AssertionError(method + " did not fail: "
                        + Fixtures.failures(results)));
    }

    @Test
    void racyTestsFailWithTheCollectionBothSitesBothStacksAndTheReplayLine() throws Exception {
        EngineExecutionResults results = Fixtures.run(RacyTestCase.class);
        assertThat(results.testEvents().failed().count()).as("%s", Fixtures.failures(results)).isEqualTo(3);

        ThreadSafetyViolationError lost = (ThreadSafetyViolationError) failureOf(results, "lostUpdate");
        String text = report(lost);
        assertThat(text).matches("(?s)\\d+ thread-safety violations? in RaceDetectionTests\\$RacyTestCase"
                + "\\.lostUpdate\\(\\):\n  java\\.util\\.HashMap: merge while merge on one instance.*");
        assertThat(text).contains("    adder-1  merge\n      at " + DEMO + ".lambda$lostUpdate$")
                .contains("    adder-2  merge\n      at " + DEMO + ".lambda$lostUpdate$")
                .contains("Replay: @ChaosTest(seed = 8812733) or -Djchaos.seed=8812733\n");
        Matcher exposed = EXPOSED.matcher(text);
        assertThat(exposed.find()).as(text).isTrue();
        assertThat(exposed.group(2)).isEqualTo("3");
        assertThat(exposed.group(3)).startsWith(DEMO + ".lambda$lostUpdate$").contains("(SharedCollections.java:");
        assertThat(exposed.group(4)).isEqualTo("100");
        RaceViolation v = lost.violations().get(0);
        assertThat(v.collection()).isEqualTo("java.util.HashMap");
        assertThat(v.held().stack().get(0).getClassName()).isEqualTo(DEMO);
        assertThat(v.other().stack().get(0).getClassName()).isEqualTo(DEMO);

        Path file = reports().resolve("RaceDetectionTests$RacyTestCase").resolve("lostUpdate.races.txt");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(text).endsWith("Report: " + file + "\n");

        String iterate = report(failureOf(results, "iterateWhileWrite"));
        assertThat(iterate).contains("java.util.HashMap").contains(DEMO + ".lambda$iterateWhileWrite$");
        assertThat(iterate).containsAnyOf("reporter  ", "requests  ");
        String reload = report(failureOf(results, "readWhileReload"));
        assertThat(reload).contains("java.util.HashMap").contains(DEMO + ".lambda$readWhileReload$");
        System.out.println("[measured] " + text);
    }

    @Test
    void aNearMissThatAPlainRunNeverOverlapsIsExposedByARunThatHoldsAThreadThere() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(NearMissTestCase.class));
        String text = report(failure);
        assertThat(text).startsWith("1 thread-safety violation in RaceDetectionTests$NearMissTestCase"
                + ".fifteenMillisecondsApart():\n  java.util.ArrayList: ");
        assertThat(text).contains("consumer  size").contains("producer  add");
        Matcher exposed = EXPOSED.matcher(text);
        assertThat(exposed.find()).as(text).isTrue();
        assertThat(Integer.parseInt(exposed.group(1))).as("exposed by a re-run, not the first run").isGreaterThan(1);
    }

    @Test
    void cleanTestsAreNeverReported() {
        EngineExecutionResults results = Fixtures.run(CleanTestCase.class);
        Fixtures.assertSucceeded(results, 6);
        assertThat(reports().resolve("RaceDetectionTests$CleanTestCase")).doesNotExist();
    }

    /** What each run of the combined fixture saw: the controller's activations, and the seed. */
    static final List<String> RUNS = new CopyOnWriteArrayList<>();

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 4242)
    @DetectThreadLeaks(lingerMs = 200, minimize = false)
    @DetectRaces(packages = "dev.jchaos.junit.demo.*")
    static class CombinedTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#price", ms = 1)
        void racesWithItsOwnDelayPoint() throws Exception {
            Map<String, String> active = Chaos.controller().activations();
            RUNS.add(active + " seed " + Chaos.controller().seed());
            SharedCollections.nearMiss();
        }

        @Test
        void racesAndLeaks() throws Exception {
            Thread stuck = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException stopped) {
                    // stopped by the suite
                }
            }, "stuck-reporter");
            stuck.start();
            Leftovers.track(stuck);
            SharedCollections.lostUpdate();
        }
    }

    @Test
    void reRunsKeepTheTestsDelayPointsAndSeedAndALeakIsReportedBesideTheRace() {
        RUNS.clear();
        Map<String, String> before = Chaos.agentInstalled() ? Chaos.controller().activations() : Map.of();
        EngineExecutionResults results = Fixtures.run(CombinedTestCase.class);

        Throwable nearMiss = failureOf(results, "racesWithItsOwnDelayPoint");
        assertThat(report(nearMiss)).contains("java.util.ArrayList").contains("seed = 4242");
        assertThat(RUNS).hasSizeGreaterThan(1).allSatisfy(run -> assertThat(run)
                .isEqualTo("{dev.jchaos.junit.demo.QuoteService#price=delay(1ms)} seed 4242"));
        assertThat(Chaos.controller().activations()).isEqualTo(before);

        Throwable both = failureOf(results, "racesAndLeaks");
        assertThat(both).isInstanceOf(ThreadLeakError.class);
        assertThat(both.getMessage()).contains("[stuck-reporter]");
        assertThat(both.getSuppressed()).singleElement().isInstanceOf(ThreadSafetyViolationError.class)
                .satisfies(race -> assertThat(race.getMessage()).contains("java.util.HashMap: merge while merge"));
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    static class BadSettingsTestCase {

        @Test
        @DetectRaces(delayMs = 0)
        void noDelay() {
        }

        @Test
        @DetectRaces(runs = 0)
        void noRuns() {
        }

        @Test
        @DetectRaces(packages = " ")
        void blankPackage() {
        }
    }

    @Test
    void badSettingsAreNamedAndChangeNothing() {
        Map<String, String> before = Chaos.agentInstalled() ? Chaos.controller().activations() : Map.of();
        List<Throwable> failures = Fixtures.failures(Fixtures.run(BadSettingsTestCase.class));
        assertThat(failures).hasSize(3).allSatisfy(f -> assertThat(f).isInstanceOf(
                ExtensionConfigurationException.class));
        assertThat(failures).extracting(Throwable::getMessage).containsExactlyInAnyOrder(
                "@DetectRaces(delayMs) must be between 1 and 60000 but was 0 (on "
                        + "RaceDetectionTests$BadSettingsTestCase.noDelay())",
                "@DetectRaces(runs) must be at least 1 but was 0 (on RaceDetectionTests$BadSettingsTestCase.noRuns())",
                "@DetectRaces(packages) has an empty glob (on RaceDetectionTests$BadSettingsTestCase.blankPackage())");
        if (Chaos.agentInstalled()) {
            assertThat(Chaos.controller().activations()).isEqualTo(before);
        }
    }
}
