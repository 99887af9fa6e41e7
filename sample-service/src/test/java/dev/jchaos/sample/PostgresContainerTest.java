package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The service storing orders in a real PostgreSQL; runs where a Docker engine exists, skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerTest {

    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:16-alpine");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ordersAreStoredInPostgresAndReadBack() throws Exception {
        ServiceConfig config = ServiceConfig.defaults().withDatabase(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                POSTGRES.getPassword()).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2));
        try (SampleApp app = SampleApp.start(config); Http http = new Http(app.uri())) {
            HttpResponse<String> created = http.post("/orders", "{\"sku\":\"PG-1\",\"quantity\":2}");
            assertThat(created.statusCode()).isEqualTo(201);
            String id = JSON.readTree(created.body()).get("id").asText();

            JsonNode read = JSON.readTree(http.get("/orders/" + id).body());

            assertThat(read.get("sku").asText()).isEqualTo("PG-1");
            assertThat(app.repository().count()).isEqualTo(1);
        }
    }
}
