package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import dev.jchaos.junit.DetectThreadLeaks;
import dev.jchaos.junit.ThreadLeakError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The leak exhibit under chaos-junit: with inventory, pricing and repository delayed, the legacy pricing path
 * leaks and the report names slow pricing as the minimal failing configuration; the normal path under the same
 * delays stays clean. The fixtures run through the JUnit Platform, as a user's tests would.
 */
class LeakExhibitChaosTest {

    @BeforeAll
    static void warmUpTheServiceCodePaths() {
        // A cold JVM can miss the fixtures' deadline with no delay at all, and the exhibit leaks on any slow
        // quote; warm code paths keep "slow" meaning "delayed by a point".
        try (SampleApp app = SampleApp.start(ServiceConfig.defaults()); Http http = new Http(app.uri())) {
            for (int i = 0; i < 20; i++) {
                http.post("/orders", "{\"sku\":\"WARM-" + i + "\",\"quantity\":1}");
            }
        }
    }

    @AfterAll
    static void stopWhatTheExhibitLeaked() {
        LegacyPricingQuotes.shutdownLeakedForTests();
    }

    @Test
    void legacyPathLeaksAndTheReportNamesSlowPricingAsTheMinimalConfiguration() throws Exception {
        EngineExecutionResults results = run(LeakyPathTestCases.class);

        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        Throwable failure = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(failure).isInstanceOf(ThreadLeakError.class);
        String report = failure.getMessage();
        assertThat(report).contains("leaked by").contains("legacy-pricing-");
        assertThat(report).contains("Minimal failing configuration");
        String minimal = report.substring(report.indexOf("Minimal failing configuration"));
        assertThat(minimal.lines().skip(1).findFirst().orElseThrow().trim())
                .startsWith("dev.jchaos.sample.PricingClient#quote=delay(");
        assertThat(minimal).doesNotContain("InventoryClient#reserve=").doesNotContain("OrderRepository#");
        Path saved = Path.of("target", "jchaos-reports", "LeakExhibitChaosTest$LeakyPathTestCases", "placeOrders.txt");
        assertThat(saved).exists();
        assertThat(Files.readString(saved)).contains("dev.jchaos.sample.PricingClient#quote=delay(");
    }

    @Test
    void normalPathStaysCleanUnderTheSameDelays() {
        EngineExecutionResults results = run(NormalPathTestCases.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    /** Places orders through the service and stops it after each test; the leak check runs around that. */
    abstract static class OrdersFixture {

        private SampleApp app;
        private Http http;

        abstract boolean leaky();

        @BeforeEach
        void start() {
            app = SampleApp.start(ServiceConfig.defaults().withLeaky(leaky())
                    .withTimeouts(Duration.ofMillis(1000), Duration.ofMillis(500), Duration.ofSeconds(2)));
            http = new Http(app.uri());
        }

        @AfterEach
        void stop() {
            http.close();
            app.close();
        }

        void placeOrdersThroughTheService() {
            for (int i = 0; i < 2; i++) {
                int status = http.post("/orders", "{\"sku\":\"LEAK-" + i + "\",\"quantity\":1}").statusCode();
                assertThat(status).isIn(201, 503);
            }
        }
    }

    // Fixture, run only through the JUnit Platform above. The JDK 17 HttpClient cannot be closed; its selector
    // thread ends when the client is collected, so it is not the service's leak.
    @ChaosTest
    @DetectThreadLeaks(lingerMs = 2500, attempts = 1, ignoreThreads = "HttpClient-\\d+-SelectorManager")
    static class LeakyPathTestCases extends OrdersFixture {

        @Override
        boolean leaky() {
            return true;
        }

        @Test
        @InjectDelay(value = "*nventory*", ms = 50)
        @InjectDelay(value = "*Pricing*", ms = 1500)
        @InjectDelay(value = "*Repository*", ms = 50)
        void placeOrders() {
            placeOrdersThroughTheService();
        }
    }

    // Fixture, run only through the JUnit Platform above.
    @ChaosTest
    @DetectThreadLeaks(lingerMs = 2500, attempts = 1, ignoreThreads = "HttpClient-\\d+-SelectorManager")
    static class NormalPathTestCases extends OrdersFixture {

        @Override
        boolean leaky() {
            return false;
        }

        @Test
        @InjectDelay(value = "*nventory*", ms = 50)
        @InjectDelay(value = "*Pricing*", ms = 1500)
        @InjectDelay(value = "*Repository*", ms = 50)
        void placeOrders() {
            placeOrdersThroughTheService();
        }
    }
}
