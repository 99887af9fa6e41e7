package dev.jchaos.core.it.races;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;
import dev.jchaos.core.it.races.fixtures.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

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
    void correctlySynchronisedAndConfinedCodeIsNeverReported() throws Exception {
        Scenario[] clean = {Scenarios::locked, Scenarios::concurrentMap, Scenarios::synchronizedMap,
            Scenarios::handOffAfterJoin, Scenarios::confined, Scenarios::singleThread};
        for (Scenario scenario : clean) {
            assertThat(expose(scenario).violations()).isEmpty();
        }
    }
}
