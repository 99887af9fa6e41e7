package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * Network latency on the database connection, injected by Toxiproxy between the service and PostgreSQL: orders
 * still succeed, only slower. Runs where a Docker engine exists, skipped elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ToxiproxyLatencyTest {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:16-alpine")
            .withNetwork(NETWORK).withNetworkAliases("postgres");

    @Container
    static final ToxiproxyContainer TOXIPROXY = new ToxiproxyContainer("ghcr.io/shopify/toxiproxy:2.9.0")
            .withNetwork(NETWORK);

    @Test
    void databaseLatencySlowsOrdersButTheyStillSucceed() throws Exception {
        ToxiproxyClient toxiproxy = new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort());
        Proxy proxy = toxiproxy.createProxy("postgres", "0.0.0.0:8666", "postgres:5432");
        String url = "jdbc:postgresql://" + TOXIPROXY.getHost() + ":" + TOXIPROXY.getMappedPort(8666) + "/"
                + POSTGRES.getDatabaseName();
        ServiceConfig config = ServiceConfig.defaults().withDatabase(url, POSTGRES.getUsername(), POSTGRES.getPassword())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2));
        try (SampleApp app = SampleApp.start(config); Http http = new Http(app.uri())) {
            assertThat(http.post("/orders", "{\"sku\":\"TOX-1\",\"quantity\":1}").statusCode()).isEqualTo(201);
            proxy.toxics().latency("db-latency", ToxicDirection.DOWNSTREAM, 300);

            long start = System.nanoTime();
            HttpResponse<String> slow = http.post("/orders", "{\"sku\":\"TOX-2\",\"quantity\":1}");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(slow.statusCode()).isEqualTo(201);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            proxy.toxics().get("db-latency").remove();
        }
    }
}
