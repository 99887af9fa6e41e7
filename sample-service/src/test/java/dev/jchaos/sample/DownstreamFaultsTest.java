package dev.jchaos.sample;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.jetty12.Jetty12HttpServerFactory;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WireMock plays inventory and pricing with real delays and faults; the service must answer 503, never hang. */
class DownstreamFaultsTest {

    @RegisterExtension
    static final WireMockExtension INVENTORY = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                    .httpServerFactory(new Jetty12HttpServerFactory()).containerThreads(16))
            .build();

    @RegisterExtension
    static final WireMockExtension PRICING = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                    .httpServerFactory(new Jetty12HttpServerFactory()).containerThreads(16))
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private SampleApp app;
    private Http http;

    @BeforeAll
    static void warmUpWireMock() {
        // WireMock's first answer takes seconds while it loads its templating; that is not what these tests time
        INVENTORY.stubFor(get("/warm-up").willReturn(okJson("{}")));
        try (Http direct = new Http(URI.create(INVENTORY.baseUrl()))) {
            assertThat(direct.get("/warm-up").statusCode()).isEqualTo(200);
        }
        PRICING.stubFor(get("/warm-up").willReturn(okJson("{}")));
        try (Http direct = new Http(URI.create(PRICING.baseUrl()))) {
            assertThat(direct.get("/warm-up").statusCode()).isEqualTo(200);
        }
    }

    @BeforeEach
    void start() {
        INVENTORY.stubFor(post("/reservations").willReturn(okJson("{\"reserved\":true}")));
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(okJson("{\"unitPriceCents\":250}")));
        app = SampleApp.start(ServiceConfig.defaults().withDownstreams(
                URI.create(INVENTORY.baseUrl()), URI.create(PRICING.baseUrl())));
        http = new Http(app.uri());
    }

    @AfterEach
    void stop() {
        http.close();
        app.close();
    }

    @Test
    void healthyDownstreamsGiveA201PricedByThePricingService() throws Exception {
        HttpResponse<String> response = order();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).get("totalCents").asLong()).isEqualTo(500);
    }

    @Test
    void slowInventoryIsCutOffByTheTimeLimiterWith503Timeout() throws Exception {
        INVENTORY.stubFor(post("/reservations").willReturn(okJson("{\"reserved\":true}").withFixedDelay(3_000)));

        long start = System.nanoTime();
        HttpResponse<String> response = order();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("downstream").asText()).isEqualTo("inventory");
        assertThat(error.get("reason").asText()).isEqualTo("timeout");
        // two attempts of 500 ms plus the retry wait; well below the downstream's 2 s
        assertThat(took).isLessThan(Duration.ofMillis(2_500));
        INVENTORY.verify(2, postRequestedFor(urlEqualTo("/reservations")));
    }

    @Test
    void connectionResetByPricingIsRetriedThen503Connection() throws Exception {
        PRICING.stubFor(get(urlPathMatching("/prices/.*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> response = order();

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("downstream").asText()).isEqualTo("pricing");
        assertThat(error.get("reason").asText()).isEqualTo("connection");
    }

    @Test
    void malformedPricingAnswerIs503BadResponseNot500() throws Exception {
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"unitPriceCents\": 25")));

        HttpResponse<String> response = order();

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("reason").asText()).isEqualTo("bad_response");
        assertThat(error.get("message").asText()).contains("malformed JSON");
    }

    @Test
    void garbageFaultFromInventoryIs503() throws Exception {
        INVENTORY.stubFor(post("/reservations").willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        HttpResponse<String> response = order();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("downstream").asText()).isEqualTo("inventory");
    }

    @Test
    void pricingAnswerWithoutAPriceIs503BadResponse() throws Exception {
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(okJson("{\"price\":\"cheap\"}")));

        HttpResponse<String> response = order();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("unitPriceCents");
    }

    @Test
    void repeatedFailuresOpenTheCircuitAndLaterCallsFailFast() throws Exception {
        INVENTORY.stubFor(post("/reservations").willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 12; i++) {
            assertThat(order().statusCode()).isEqualTo(503);
        }
        int before = INVENTORY.getAllServeEvents().size();

        HttpResponse<String> response = order();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo("circuit_open");
        assertThat(INVENTORY.getAllServeEvents()).hasSize(before);
    }

    private HttpResponse<String> order() {
        return http.post("/orders", "{\"sku\":\"ABC-1\",\"quantity\":2}");
    }
}
