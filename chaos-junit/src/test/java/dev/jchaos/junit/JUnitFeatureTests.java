package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.demo.Leftovers;
import dev.jchaos.junit.demo.QuoteService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Leak checks and minimization per invocation of every kind of Jupiter test: nested, parameterized, repeated,
 * template, dynamic, and with one test instance per class.
 */
class JUnitFeatureTests {

    @AfterEach
    void stopWhatTheFixturesLeaked() throws InterruptedException {
        Leftovers.stopAll();
    }

    private static Path report(String testClass, String file) {
        return Paths.get(System.getProperty("basedir", "."), "target", "jchaos-reports", testClass, file);
    }

    /** The display names of the failed tests (or containers) and their failures. */
    private static List<String> failed(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(JUnitFeatureTests::describe).toList();
    }

    private static String describe(Event event) {
        Throwable failure = event.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        return event.getTestDescriptor().getDisplayName() + " -> " + failure.getClass().getSimpleName();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100)
    static class OuterTestCase {

        @Nested
        class InnerTestCase {

            @Test
            void leaks() {
                LeakDetectionTests.startParker("nested-leak");
            }

            @Test
            void staysClean() {
            }
        }
    }

    @Test
    void aNestedClassIsCheckedWithItsEnclosingClassSettings() throws Exception {
        EngineExecutionResults results = Fixtures.run(OuterTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        String message = Fixtures.onlyFailure(results).getMessage();
        assertThat(message).startsWith("1 thread leaked by JUnitFeatureTests$OuterTestCase$InnerTestCase.leaks():\n");
        assertThat(report("JUnitFeatureTests$OuterTestCase$InnerTestCase", "leaks.txt")).exists();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100)
    static class ParameterizedTestCase {

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        void leaksOnTwo(int n) {
            if (n == 2) {
                LeakDetectionTests.startParker("leak-of-" + n);
            }
        }
    }

    @Test
    void eachParameterizedInvocationIsCheckedAndReportedOnItsOwn() throws Exception {
        EngineExecutionResults results = Fixtures.run(ParameterizedTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(1));
        assertThat(Fixtures.onlyFailure(results).getMessage())
                .startsWith("1 thread leaked by JUnitFeatureTests$ParameterizedTestCase.leaksOnTwo()[2]:\n")
                .contains("[leak-of-2]");
        assertThat(report("JUnitFeatureTests$ParameterizedTestCase", "leaksOnTwo[2].txt")).exists();
        assertThat(report("JUnitFeatureTests$ParameterizedTestCase", "leaksOnTwo[1].txt")).doesNotExist();
        assertThat(report("JUnitFeatureTests$ParameterizedTestCase", "leaksOnTwo.txt")).doesNotExist();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100)
    static class RepeatedTestCase {

        @RepeatedTest(3)
        void leaksEveryTime(RepetitionInfo repetition) {
            LeakDetectionTests.startParker("repetition-" + repetition.getCurrentRepetition());
        }
    }

    @Test
    void eachRepetitionGetsItsOwnReportAndOnlyItsOwnThreads() throws Exception {
        EngineExecutionResults results = Fixtures.run(RepeatedTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.failed(3));
        List<Throwable> failures = Fixtures.failures(results);
        for (int i = 1; i <= 3; i++) {
            String expected = "1 thread leaked by JUnitFeatureTests$RepeatedTestCase.leaksEveryTime()[" + i + "]:\n";
            assertThat(failures.get(i - 1).getMessage()).startsWith(expected).contains("[repetition-" + i + "]");
            Path file = report("JUnitFeatureTests$RepeatedTestCase", "leaksEveryTime[" + i + "].txt");
            assertThat(Files.readString(file)).startsWith(expected);
        }
    }

    /** Two invocations of a plain template. */
    static final class TwoInvocations implements TestTemplateInvocationContextProvider {

        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return true;
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return Stream.of(new TestTemplateInvocationContext() {
            }, new TestTemplateInvocationContext() {
            });
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100)
    static class TemplateTestCase {

        static int invocations;

        @TestTemplate
        @ExtendWith(TwoInvocations.class)
        void leaksTheSecondTime() {
            if (++invocations == 2) {
                LeakDetectionTests.startParker("template-leak");
            }
        }
    }

    @Test
    void eachTemplateInvocationIsCheckedOnItsOwn() {
        TemplateTestCase.invocations = 0;
        EngineExecutionResults results = Fixtures.run(TemplateTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(Fixtures.onlyFailure(results).getMessage())
                .startsWith("1 thread leaked by JUnitFeatureTests$TemplateTestCase.leaksTheSecondTime()[2]:\n");
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100)
    static class DynamicTestCase {

        @TestFactory
        Stream<DynamicNode> tests() {
            LeakDetectionTests.startParker("factory-leak");
            return Stream.of(
                    dynamicTest("clean", () -> {
                    }),
                    dynamicTest("leaks", () -> LeakDetectionTests.startParker("dynamic-leak")),
                    dynamicContainer("group", Stream.of(
                            dynamicTest("clean too", () -> {
                            }),
                            dynamicTest("leaks too", () -> LeakDetectionTests.startParker("nested-dynamic-leak")))));
        }
    }

    @Test
    void eachDynamicTestIsCheckedOnItsOwnAndTheFactoryOnlyForWhatItStartedItself() {
        EngineExecutionResults results = Fixtures.run(DynamicTestCase.class);

        assertThat(failed(results)).containsExactlyInAnyOrder(
                "leaks -> ThreadLeakError", "leaks too -> ThreadLeakError", "tests() -> ThreadLeakError");
        List<String> messages = results.allEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow()
                        .getMessage()).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("1 thread leaked by JUnitFeatureTests$DynamicTestCase.tests()[2]:\n")
                .contains("[dynamic-leak]").doesNotContain("factory-leak"));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("1 thread leaked by JUnitFeatureTests$DynamicTestCase.tests()[3][2]:\n")
                .contains("[nested-dynamic-leak]"));
        // the factory's own check leaves out what its dynamic tests already reported
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("1 thread leaked by JUnitFeatureTests$DynamicTestCase.tests():\n")
                .contains("[factory-leak]").doesNotContain("dynamic-leak"));
        assertThat(report("JUnitFeatureTests$DynamicTestCase", "tests[3][2].txt")).exists();
    }

    /** One instance for all tests; the pool is the class's, started before any test. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @ChaosTest(seed = 3)
    @DetectThreadLeaks(lingerMs = 300, attempts = 1, shrinkDelays = false)
    static class PerClassTestCase {

        private ExecutorService pool;
        private int testsRun;

        @BeforeAll
        void startThePool() {
            pool = Executors.newFixedThreadPool(2);
            ((ThreadPoolExecutor) pool).prestartAllCoreThreads();
        }

        @Test
        void usesTheClassPool() throws Exception {
            testsRun++;
            assertThat(pool.submit(() -> 6 * 7).get()).isEqualTo(42);
        }

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#*", ms = 400)
        void leaksUnderDelay() throws Exception {
            testsRun++;
            try (QuoteService service = new QuoteService()) {
                service.quote();
            }
        }

        @AfterAll
        void stopThePool() throws InterruptedException {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void perClassInstancesAreCheckedAndMinimizedLikeAnyOther() {
        EngineExecutionResults results = Fixtures.run(PerClassTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(Fixtures.onlyFailure(results).getMessage())
                .startsWith("1 thread leaked by JUnitFeatureTests$PerClassTestCase.leaksUnderDelay():\n")
                .contains("Minimal failing configuration (1/1 attempts leaked, ")
                .contains("  dev.jchaos.junit.demo.QuoteService#price=delay(400ms)\n");
    }

    /** Only the third case leaks, and only with pricing slow: re-running any other case would never leak. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 11)
    @DetectThreadLeaks(lingerMs = 300, attempts = 1, shrinkDelays = false)
    static class MinimizedCaseTestCase {

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#*", ms = 400)
        void quotes(int n) throws Exception {
            if (n == 3) {
                try (QuoteService service = new QuoteService()) {
                    service.quote();
                }
            }
        }

        @TestFactory
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#*", ms = 400)
        Stream<DynamicNode> dynamicQuotes() {
            return Stream.of(dynamicTest("no quote", () -> {
            }), dynamicTest("quote", () -> {
                try (QuoteService service = new QuoteService()) {
                    service.quote();
                }
            }));
        }
    }

    @Test
    void minimizationReRunsTheFailingInvocationNotTheFirstOne() {
        EngineExecutionResults results = Fixtures.run(MinimizedCaseTestCase.class);

        List<String> messages = results.allEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow()
                        .getMessage()).toList();
        assertThat(messages).hasSize(2);
        for (String name : List.of("quotes()[3]", "dynamicQuotes()[2]")) {
            assertThat(messages).anySatisfy(m -> assertThat(m)
                    .startsWith("1 thread leaked by JUnitFeatureTests$MinimizedCaseTestCase." + name + ":\n")
                    .contains("Minimal failing configuration (1/1 attempts leaked, ")
                    .contains("  dev.jchaos.junit.demo.QuoteService#price=delay(400ms)\n")
                    .doesNotContain("not reproduced"));
        }
    }
}
