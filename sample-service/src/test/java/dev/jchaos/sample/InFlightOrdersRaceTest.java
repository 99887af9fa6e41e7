package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jchaos.core.RaceViolation;
import dev.jchaos.junit.DetectRaces;
import dev.jchaos.junit.ThreadSafetyViolationError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The race exhibit under chaos-junit: orders placed over HTTP while the reporter thread iterates the in-flight
 * registry. {@code @DetectRaces} on the service's package names {@link InFlightOrders}' plain HashMap, with the
 * reporter's iteration and the request thread's write. The fixture runs through the JUnit Platform, as a user's
 * test would.
 */
class InFlightOrdersRaceTest {

    @Test
    void placingOrdersWhileTheReporterCountsThemIsAThreadSafetyViolationOfInFlightOrders() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(PlaceOrdersTestCase.class)).execute();

        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        Throwable failure = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(failure).isInstanceOf(ThreadSafetyViolationError.class);
        String report = failure.getMessage();
        assertThat(report).contains("thread-safety violation").contains("in InFlightOrdersRaceTest$PlaceOrdersTestCase"
                + ".placeOrdersWhileReporting():");
        List<RaceViolation> violations = ((ThreadSafetyViolationError) failure).violations();
        assertThat(violations).isNotEmpty().allSatisfy(v -> {
            assertThat(v.collection()).isEqualTo("java.util.HashMap");
            assertThat(List.of(v.held().site(), v.other().site()))
                    .allMatch(site -> site.startsWith("dev.jchaos.sample.InFlightOrders."));
        });
        assertThat(violations).anySatisfy(v -> assertThat(List.of(v.held().thread(), v.other().thread()))
                .contains("inflight-reporter"));
        assertThat(report).contains("at dev.jchaos.sample.InFlightOrders.report(InFlightOrders.java:")
                .containsPattern("at dev\\.jchaos\\.sample\\.InFlightOrders\\.(begin|end)\\(InFlightOrders\\.java:");
        System.out.println("[measured] " + report);
    }

    // Fixture, run only through the JUnit Platform above.
    @DetectRaces
    static class PlaceOrdersTestCase {

        private SampleApp app;
        private Http http;

        @BeforeEach
        void start() {
            app = SampleApp.start(ServiceConfig.defaults());
            http = new Http(app.uri());
        }

        @AfterEach
        void stop() {
            http.close();
            app.close();
        }

        @Test
        void placeOrdersWhileReporting() throws Exception {
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> placed = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    String body = "{\"sku\":\"RACE-" + i + "\",\"quantity\":1}";
                    placed.add(clients.submit(() -> http.post("/orders", body).statusCode()));
                }
                for (Future<Integer> status : placed) {
                    assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(201);
                }
            } finally {
                clients.shutdownNow();
                assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
