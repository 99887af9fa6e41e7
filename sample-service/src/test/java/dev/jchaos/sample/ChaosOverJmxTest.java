package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jchaos.core.Chaos;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's path: with the agent installed, a delay turned on over a JMX connector slows the inventory
 * point; orders then fail fast with 503 or answer late, never hang; the kill switch makes them fast again.
 */
class ChaosOverJmxTest {

    private static SampleApp app;
    private static Http http;
    private static JmxOperator operator;

    @BeforeAll
    static void start() {
        Chaos.installAgent();
        app = SampleApp.start(ServiceConfig.defaults());
        http = new Http(app.uri());
        operator = JmxOperator.connectLoopback();
    }

    @AfterEach
    void killSwitch() {
        operator.deactivateAll();
        operator.setEnabled(false);
    }

    @AfterAll
    static void stop() {
        operator.close();
        http.close();
        app.close();
    }

    @Test
    void inventoryDelayOverJmxGivesSlowOr503OrdersThenKillSwitchRestoresThem() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(order().statusCode()).isEqualTo(201);
        }

        operator.setEnabled(true);
        operator.activate("*nventory*", "delay(800ms)");
        assertThat(operator.activePoints()).containsExactly("dev.jchaos.sample.InventoryClient#reserve=delay(800ms)");
        ExecutorService clients = Executors.newFixedThreadPool(8, new NamedThreads("test-client", true));
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 16; i++) {
                answers.add(clients.submit(this::order));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("\"downstream\":\"inventory\"");
            }
            // every answer came: the time limiter cut the 800 ms delay off, nothing waited for it to end
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            clients.shutdownNow();
        }
        assertThat(http.get("/metrics").body()).contains("jchaos_").contains("jvm_threads_")
                .contains("resilience4j_timelimiter_calls_total{application=\"sample-service\",kind=\"timeout\",name=\"inventory\"}");

        operator.deactivateAll();

        // the circuit breaker half-opens after 2 s; then orders are fast again
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> order().statusCode() == 201);
        long start = System.nanoTime();
        assertThat(order().statusCode()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));
    }

    @Test
    void malformedActionOverJmxIsRefusedWithTheColumnAndNothingIsActivated() {
        operator.setEnabled(true);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> operator.activate("*nventory*", "delay(80 0ms)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delay(80 0ms)");
        assertThat(operator.activePoints()).isEmpty();
    }

    private HttpResponse<String> order() {
        return http.post("/orders", "{\"sku\":\"JMX-1\",\"quantity\":1}");
    }
}
