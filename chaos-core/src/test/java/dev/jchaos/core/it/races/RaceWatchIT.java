package dev.jchaos.core.it.races;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;
import dev.jchaos.core.it.races.fixtures.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TSVD's loop through the agent, on code that races and code that does not: the first run learns near misses,
 * later runs hold threads at the suspects; only overlaps that really happened are reported.
 */
class RaceWatchIT {

    private static final List<String> FIXTURES = List.of("dev.jchaos.core.it.races.fixtures.*");

    interface Scenario {
        void run() throws Exception;
    }

    record Outcome(List<RaceViolation> violations, int run) {
    }

    @BeforeAll
    static void agent() {
        Chaos.installAgent();
    }

    private static Outcome expose(Scenario scenario) throws Exception {
        Races races = Chaos.races();
        List<String> holdAt = List.of();
        for (int run = 1; run <= 3; run++) {
            Races.Session session = races.watch(FIXTURES, Duration.ofMillis(100), holdAt, 42);
            RaceReport report;
            try {
                scenario.run();
            } finally {
                report = session.stop();
            }
            if (!report.violations().isEmpty() || report.suspects().isEmpty()) {
                return new Outcome(report.violations(), run);
            }
            holdAt = report.suspects();
        }
        return new Outcome(List.of(), 3);
    }

    @Test
    void lostUpdateOnAHashMapIsFoundWithBothStacks() throws Exception {
        Outcome outcome = expose(Scenarios::lostUpdate);
        assertThat(outcome.violations()).isNotEmpty();
        RaceViolation v = outcome.violations().get(0);
        assertThat(v.collection()).isEqualTo("java.util.HashMap");
        assertThat(v.held().site()).startsWith("dev.jchaos.core.it.races.fixtures.Scenarios.lambda$lostUpdate$");
        assertThat(v.held().stack().get(0).getClassName()).isEqualTo(Scenarios.class.getName());
        assertThat(v.other().stack().get(0).getClassName()).isEqualTo(Scenarios.class.getName());
        assertThat(List.of(v.held().thread(), v.other().thread())).containsExactlyInAnyOrder("adder-1", "adder-2");
        System.out.println("[measured] lost update exposed in run " + outcome.run() + ":\n" + v.describe());
    }

    @Test
    void iteratingWhileAnotherThreadWritesIsFound() throws Exception {
        Outcome outcome = expose(Scenarios::iterateWhileWrite);
        assertThat(outcome.violations()).isNotEmpty().allSatisfy(v -> assertThat(v.collection())
                .isEqualTo("java.util.HashMap"));
        System.out.println("[measured] iterate-while-write exposed in run " + outcome.run() + ": "
                + outcome.violations().get(0).line());
    }

    @Test
    void readWhileReloadIsFound() throws Exception {
        Outcome outcome = expose(Scenarios::readWhileReload);
        assertThat(outcome.violations()).isNotEmpty();
    }

    @Test
    void nearMissFifteenMillisecondsApartIsExposedByHolding() throws Exception {
        Outcome outcome = expose(Scenarios::nearMiss);
        assertThat(outcome.run()).as("a plain run never overlaps them").isGreaterThan(1);
        assertThat(outcome.violations()).singleElement().satisfies(v -> {
            assertThat(v.collection()).isEqualTo("java.util.ArrayList");
            assertThat(List.of(v.held().operation(), v.other().operation())).containsExactlyInAnyOrder("add", "size");
        });
    }

    @Test
    void aUsersOwnCodeCallingWatchIsWatchedLikeAnyOther() throws Exception {
        assertThat(com.acme.shop.StockLedger.watchTwoReceivers()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.collection()).isEqualTo("java.util.HashMap");
            assertThat(v.held().site()).startsWith("com.acme.shop.StockLedger.receive(StockLedger.java:");
        });
    }

    @Test
    void runningServiceWithJchaosRacesReportsItsRaceOnceAndStaysSilentOnItsLockedTwin() throws Exception {
        ForkedRun racy = fork("racy");
        assertThat(racy.exit).as(racy.err).isZero();
        assertThat(racy.out).contains("races 1").contains("race java.util.HashMap: merge while merge at "
                + "dev.jchaos.core.it.races.fixtures.Scenarios.lambda$lostUpdate$");
        assertThat(racy.out).doesNotContain("meter 0.0");
        long reported = racy.err.lines().filter(l -> l.startsWith("[jchaos] thread-safety violation: ")).count();
        assertThat(reported).as(racy.err).isEqualTo(1);
        assertThat(racy.err).contains("adder-1  merge").contains("adder-2  merge")
                .contains("at dev.jchaos.core.it.races.fixtures.Scenarios.lambda$lostUpdate$");

        ForkedRun locked = fork("locked");
        assertThat(locked.exit).as(locked.err).isZero();
        assertThat(locked.out).contains("races 0").contains("meter 0.0");
        assertThat(locked.err).doesNotContain("thread-safety violation");
    }

    record ForkedRun(int exit, String out, String err) {
    }

    private static ForkedRun fork(String scenario) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(java, "-javaagent:" + System.getProperty("jchaos.test.agentJar"),
                "-Djchaos.enabled=true", "-Djchaos.races=" + FIXTURES.get(0),
                "-cp", System.getProperty("java.class.path"), RacyServiceMain.class.getName(), scenario).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(
                () -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(
                () -> read(p.getErrorStream()));
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new ForkedRun(p.exitValue(), out.get(), err.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void correctlySynchronisedAndConfinedCodeIsNeverReported() throws Exception {
        Scenario[] clean = {Scenarios::locked, Scenarios::concurrentMap, Scenarios::synchronizedMap,
            Scenarios::handOffAfterJoin, Scenarios::confined, Scenarios::singleThread};
        for (Scenario scenario : clean) {
            assertThat(expose(scenario).violations()).isEmpty();
        }
    }
}
