package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Starting and stopping the service: close() stops every thread it started; a failed start leaves none behind. */
class SampleAppLifecycleTest {

    // The JDK 17 HttpClient has no close(); its selector thread ends once the client is collected. jchaos-* threads
    // are the tool's own (its timeout clock starts with the first meter), JIT compiler threads the JVM's.
    private static final String NOT_THE_SERVICE = "HttpClient-\\d+-SelectorManager|jchaos-.*|C[12] CompilerThread.*";

    @Test
    void closeStopsEveryThreadTheServiceStarted() {
        Set<Long> before = liveThreadIds();
        try (SampleApp app = SampleApp.start(ServiceConfig.defaults()); Http http = new Http(app.uri())) {
            for (int i = 0; i < 5; i++) {
                assertThat(http.post("/orders", "{\"sku\":\"LIFE-" + i + "\",\"quantity\":1}").statusCode())
                        .isEqualTo(201);
            }
            assertThat(newThreads(before)).anyMatch(name -> name.startsWith("http-server"))
                    .anyMatch(name -> name.startsWith("fake-inventory"));
        }

        await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    @Test
    void badJdbcUrlFailsNamingItAndStopsWhatHadStarted() {
        Set<Long> before = liveThreadIds();

        assertThatThrownBy(() -> SampleApp.start(ServiceConfig.defaults().withDatabase("jdbc:nosuchdb:orders", null, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdbc:nosuchdb:orders");

        await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    @Test
    void configRejectsABadValueNamingIt() {
        assertThatThrownBy(() -> ServiceConfig.defaults().withPort(70000))
                .hasMessage("port must be from 0 to 65535 but was 70000");
        assertThatThrownBy(() -> ServiceConfig.defaults().withDatabase("postgres://x", null, null))
                .hasMessage("jdbcUrl must start with 'jdbc:' but was 'postgres://x'");
        assertThatThrownBy(() -> ServiceConfig.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessage("callTimeout must be a positive duration but was PT0S");
    }

    private static Set<Long> liveThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    private static List<String> newThreads(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t.getId()))
                .map(Thread::getName)
                .filter(name -> !name.matches(NOT_THE_SERVICE))
                .toList();
    }
}
