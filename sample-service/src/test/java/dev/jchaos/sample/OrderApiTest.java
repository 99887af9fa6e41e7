package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End to end over HTTP against the running service on its embedded defaults (H2, fake downstreams). */
class OrderApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SampleApp app;
    private static Http http;

    @BeforeAll
    static void start() {
        app = SampleApp.start(ServiceConfig.defaults());
        http = new Http(app.uri());
    }

    @AfterAll
    static void stop() {
        http.close();
        app.close();
    }

    @Test
    void placedOrderIsCreatedWithAnIdAndCanBeReadBack() throws Exception {
        HttpResponse<String> created = http.post("/orders", "{\"sku\":\"ABC-1\",\"quantity\":3}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode order = JSON.readTree(created.body());
        String id = order.get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(order.get("sku").asText()).isEqualTo("ABC-1");
        assertThat(order.get("quantity").asInt()).isEqualTo(3);
        assertThat(order.get("totalCents").asLong()).isEqualTo(3 * order.get("unitPriceCents").asLong());
        assertThat(created.headers().firstValue("Location")).hasValue("/orders/" + id);

        HttpResponse<String> read = http.get("/orders/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body())).isEqualTo(order);
    }

    @ParameterizedTest(name = "{0} -> 400 mentioning {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"sku\":\"ABC-1\",                         | malformed JSON",
        "not json at all                            | malformed JSON",
        "[1,2]                                      | expected a JSON object",
        "{\"quantity\":1}                           | missing field 'sku'",
        "{\"sku\":\"ABC-1\"}                        | missing field 'quantity'",
        "{\"sku\":\"ABC-1\",\"quantity\":0}         | but was 0",
        "{\"sku\":\"ABC-1\",\"quantity\":\"two\"}   | but was \"two\"",
        "{\"sku\":\"ABC-1\",\"quantity\":1.5}       | but was 1.5",
        "{\"sku\":\"\",\"quantity\":1}              | field 'sku'",
        "{\"sku\":42,\"quantity\":1}                | but was 42",
    })
    void badOrderIsRejectedWith400NamingTheProblem(String body, String expected) throws Exception {
        HttpResponse<String> response = http.post("/orders", body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("bad_request");
        assertThat(error.get("message").asText()).contains(expected);
    }

    @Test
    void emptyBodyIsRejectedWith400() throws Exception {
        HttpResponse<String> response = http.post("/orders", "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("empty");
    }

    @Test
    void unknownOrderIs404AndMalformedIdIs400() throws Exception {
        HttpResponse<String> unknown = http.get("/orders/00000000-0000-0000-0000-000000000000");
        HttpResponse<String> malformed = http.get("/orders/nope");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("message").asText()).contains("'nope'");
    }

    @Test
    void outOfStockSkuIs409() throws Exception {
        HttpResponse<String> response = http.post("/orders", "{\"sku\":\"OUT-7\",\"quantity\":1}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("out_of_stock");
    }

    @Test
    void healthReportsTheDatabaseUp() throws Exception {
        HttpResponse<String> response = http.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsExposeThreadResilienceHikariAndJettyMetersInPrometheusText() {
        http.post("/orders", "{\"sku\":\"ABC-2\",\"quantity\":1}");

        HttpResponse<String> response = http.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("jvm_threads_live_threads")
                .contains("resilience4j_timelimiter_calls_total{application=\"sample-service\",kind=\"successful\",name=\"inventory\"}")
                .contains("resilience4j_circuitbreaker_state")
                .contains("resilience4j_bulkhead_")
                .contains("resilience4j_retry_calls")
                .contains("hikaricp_connections{application=\"sample-service\",pool=\"orders-db\"}")
                .contains("jetty_threads_");
    }
}
