package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import dev.jchaos.junit.demo.Checkout;
import dev.jchaos.junit.demo.Leftovers;
import dev.jchaos.junit.demo.PlainClient;
import dev.jchaos.junit.demo.QuoteService;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @InjectDelay} on tests: what is active when, and that it always ends with the test. */
class ActivationTests {

    @AfterEach
    void stopWhatTheFixturesLeaked() throws InterruptedException {
        Leftovers.stopAll();
    }

    private static long millis(ThrowingRunnable action) throws Exception {
        long t0 = System.nanoTime();
        action.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void assertNothingActive() {
        assertThat(Chaos.controller().activations()).isEmpty();
        assertThat(Chaos.controller().isEnabled()).isFalse();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    @DetectThreadLeaks
    static class CleanWithDelaysTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#audit", ms = 150)
        @InjectDelay(value = "dev.jchaos.junit.demo.QuoteService#format", ms = 50, jitterMs = 50)
        void slowButClean() throws Exception {
            try (QuoteService service = new QuoteService()) {
                long[] price = new long[1];
                assertThat(millis(() -> price[0] = service.quote())).isGreaterThanOrEqualTo(200);
                assertThat(price[0]).isEqualTo(42);
            }
        }
    }

    @Test
    void aCleanTestWithDelaysPasses() {
        Fixtures.assertSucceeded(Fixtures.run(CleanWithDelaysTestCase.class), 1);
        assertNothingActive();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    @InjectDelay(value = "checkout.load", ms = 150)
    static class IsolationTestCase {

        private Checkout checkout;
        private long setUpMs;

        @BeforeEach
        void setUp() throws Exception {
            checkout = new Checkout();
            // points are already active in @BeforeEach
            setUpMs = millis(() -> checkout.load());
        }

        @Test
        @InjectDelay(value = "checkout.receipt", ms = 400)
        void receiptIsSlowHere() throws Exception {
            assertThat(setUpMs).isGreaterThanOrEqualTo(150);
            assertThat(millis(() -> checkout.receipt())).isGreaterThanOrEqualTo(400);
        }

        @Test
        void receiptIsFastHereButClassLevelPointsStillApply() throws Exception {
            assertThat(setUpMs).isGreaterThanOrEqualTo(150);
            assertThat(millis(() -> checkout.receipt())).isLessThan(300);
        }

        @AfterEach
        void tearDown() throws Exception {
            // still active in @AfterEach
            assertThat(millis(() -> checkout.load())).isGreaterThanOrEqualTo(150);
            checkout.close();
        }
    }

    @Test
    void activationsBelongToOneTestAndClassLevelOnesToEach() {
        Fixtures.assertSucceeded(Fixtures.run(IsolationTestCase.class), 2);
        assertNothingActive();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 77)
    static class FailingTestCase {

        @Test
        @InjectDelay(value = "checkout.*", ms = 10)
        void fails() {
            assertThat(Chaos.controller().activations()).containsKey("checkout.*");
            throw new AssertionError("boom");
        }
    }

    @Test
    void pointsAreDeactivatedWhenTheTestFails() {
        assertThat(Fixtures.onlyFailure(Fixtures.run(FailingTestCase.class))).hasMessage("boom");
        assertNothingActive();
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    static class TargetTestCase {

        @Test
        @InjectDelay(target = "dev.jchaos.junit.demo.PlainClient#call", ms = 400)
        void delaysAnUnannotatedMethod() throws Exception {
            PlainClient client = new PlainClient();
            String[] reply = new String[1];
            assertThat(millis(() -> reply[0] = client.call("hi"))).isGreaterThanOrEqualTo(400);
            assertThat(reply[0]).isEqualTo("hi");
        }

        @Test
        void leavesItAloneElsewhere() throws Exception {
            assertThat(millis(() -> new PlainClient().call("hi"))).isLessThan(300);
        }
    }

    @Test
    void targetWeavesAMethodWithoutAnyAnnotation() {
        Fixtures.assertSucceeded(Fixtures.run(TargetTestCase.class), 2);
        assertNothingActive();
    }

    /** A later test's glob over the package: it covers the declared points, not what an earlier test aimed at. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    static class GlobAfterTargetTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.*", ms = 300)
        void globCoversOnlyDeclaredPoints() throws Exception {
            assertThat(millis(() -> new PlainClient().call("hi"))).isLessThan(200);
            try (QuoteService service = new QuoteService()) {
                assertThat(millis(service::quote)).isGreaterThanOrEqualTo(300);
            }
        }
    }

    @Test
    void aTargetEndsWithItsTestWhateverGlobsComeLater() {
        Fixtures.assertSucceeded(Fixtures.run(TargetTestCase.class), 2);
        Fixtures.assertSucceeded(Fixtures.run(GlobAfterTargetTestCase.class), 1);
        assertNothingActive();
    }

    /** No {@code @ChaosTest}: only auto-detection registers the extension. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    static class AutodetectedTestCase {

        @Test
        @InjectDelay(target = "dev.jchaos.junit.demo.PlainClient#call", ms = 150)
        void delaysWithoutChaosTest() throws Exception {
            assertThat(millis(() -> new PlainClient().call("hi"))).isGreaterThanOrEqualTo(150);
        }
    }

    @Test
    void worksWhenRegisteredByAutoDetection() {
        Fixtures.assertSucceeded(Fixtures.run(AutodetectedTestCase.class,
                "junit.jupiter.extensions.autodetection.enabled", "true"), 1);
        assertNothingActive();
    }

    @Test
    void agentAdviceNamesTheAgentJarBesideChaosCore() {
        String jar = ChaosExtension.agentJar();
        assertThat(jar).contains("chaos-core-").endsWith("-agent.jar");
        if (Chaos.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar")) {
            assertThat(Paths.get(jar)).exists();
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest
    static class BadAttributeTestCase {

        @Test
        @InjectDelay(value = "checkout.load", probability = 2.0)
        void neverRuns() {
        }
    }

    @Test
    void badAttributesFailTheTestNamingTheAttribute() {
        EngineExecutionResults results = Fixtures.run(BadAttributeTestCase.class);
        assertThat(Fixtures.onlyFailure(results))
                .hasMessageContaining("@InjectDelay(probability) must be within 0.0..1.0 but was 2.0")
                .hasNoCause(); // the message is all a user needs: no chain of jchaos's own frames
    }

    /** A glob over points that were already active before the test: they are shadowed, then back exactly. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @ChaosTest(seed = 5)
    static class GlobOverActivePointsTestCase {

        @Test
        @InjectDelay(value = "dev.jchaos.junit.demo.*", ms = 20)
        void shadowsThem() {
            assertThat(Chaos.controller().activations()).containsExactly(
                    entry("dev.jchaos.junit.demo.QuoteService#audit", "delay(7ms)"),
                    entry("checkout.*", "2*delay(3ms)"),
                    entry("dev.jchaos.junit.demo.*", "delay(20ms)"));
            assertThat(Chaos.controller().seed()).isEqualTo(5);
        }
    }

    @Test
    void whatWasActiveBeforeATestIsActiveAgainAfterItExactly() {
        Chaos.installAgent();
        var controller = Chaos.controller();
        long seedBefore = controller.seed();
        try {
            // as jchaos.points, JMX or another extension would have left them
            controller.activate("dev.jchaos.junit.demo.QuoteService#audit", "delay(7ms)");
            controller.activate("checkout.*", "2*delay(3ms)");
            Map<String, String> before = Map.copyOf(controller.activations());

            Fixtures.assertSucceeded(Fixtures.run(GlobOverActivePointsTestCase.class), 1);

            assertThat(controller.activations()).containsExactly(
                    entry("dev.jchaos.junit.demo.QuoteService#audit", "delay(7ms)"),
                    entry("checkout.*", "2*delay(3ms)"));
            assertThat(controller.activations()).isEqualTo(before);
            assertThat(controller.isEnabled()).isFalse();
            assertThat(controller.seed()).isEqualTo(seedBefore);
        } finally {
            controller.deactivateAll();
        }
    }

    @Test
    void anActivationThatWasEnabledBeforeStaysEnabled() {
        Chaos.installAgent();
        var controller = Chaos.controller();
        try {
            controller.setEnabled(true);
            Fixtures.assertSucceeded(Fixtures.run(TargetTestCase.class), 2);
            assertThat(controller.isEnabled()).isTrue();
            assertThat(controller.activations()).isEmpty();
        } finally {
            controller.setEnabled(false);
        }
    }
}
