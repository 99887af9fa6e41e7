package dev.jchaos.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs fixture test classes ({@code *TestCase}) through {@link EngineTestKit}. Fixtures are guarded by the
 * {@value #GUARD} system property so they never run on their own.
 */
final class Fixtures {

    static final String GUARD = "jchaos.fixtures";

    private Fixtures() {
    }

    static EngineExecutionResults run(Class<?> fixture, String... configuration) {
        System.setProperty(GUARD, "true");
        try {
            EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture));
            for (int i = 0; i + 1 < configuration.length; i += 2) {
                builder.configurationParameter(configuration[i], configuration[i + 1]);
            }
            return builder.execute();
        } finally {
            System.clearProperty(GUARD);
        }
    }

    /** The failures of the tests that failed, in order. */
    static List<Throwable> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(event -> event.getPayload(TestExecutionResult.class).orElseThrow())
                .map(result -> result.getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    /** Asserts that all {@code expected} tests succeeded, showing the fixtures' own failures when not. */
    static void assertSucceeded(EngineExecutionResults results, long expected) {
        long succeeded = results.testEvents().succeeded().count();
        List<Throwable> failures = failures(results);
        if (succeeded != expected || !failures.isEmpty()) {
            AssertionError error = new AssertionError("expected " + expected + " tests to succeed but " + succeeded
                    + " did; failures: " + failures);
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Throwable> failures = failures(results);
        if (failures.size() != 1) {
            List<String> all = results.allEvents().stream().map(Event::toString).collect(Collectors.toList());
            throw new AssertionError("expected exactly one failure but was " + failures + "\n" + all);
        }
        return failures.get(0);
    }
}
