package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard against a real Prometheus (Debian's {@code prometheus} package) scraping two sample-service
 * instances on loopback under chaos, driven by the jchaos command line: every panel's query, every annotation and
 * every variable returns data through Prometheus's HTTP API.
 */
class DashboardOnPrometheusTest {

    private static final Path PROMETHEUS = Path.of(System.getProperty("jchaos.prometheus", "/usr/bin/prometheus"));
    private static final Path DASHBOARD = Path.of(System.getProperty("basedir", "."))
            .resolve("../dashboards/jchaos-grafana.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    @Test
    void everyPanelAnnotationAndVariableReturnsDataForTwoInstancesUnderChaos() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "no Prometheus at " + PROMETHEUS
                + " (apt-get install prometheus, or -Djchaos.prometheus=<path>)");
        try {
            int[] ports = {freePort(), freePort()};
            long[] pids = new long[2];
            for (int i = 0; i < 2; i++) {
                pids[i] = serve(ports[i]);
            }
            int promPort = freePort();
            String prometheus = "http://127.0.0.1:" + promPort;
            startPrometheus(promPort, ports);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> upTargets(prometheus) == 2);
            long start = System.currentTimeMillis() / 1000;

            cli("activate", Long.toString(pids[0]), "*nventory*", "delay(800ms)");
            cli("activate", Long.toString(pids[1]), "*nventory*", "delay(800ms)", "--halt-when", "inflight>3");
            load(ports, Duration.ofSeconds(12));
            cli("off", Long.toString(pids[0]));
            load(ports, Duration.ofSeconds(3));

            JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
            for (Map.Entry<String, String> query : queries(dashboard).entrySet()) {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(rangeResults(prometheus, query.getValue(), start)).as("%s: %s", query.getKey(),
                                query.getValue()).isPositive());
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (!"query".equals(variable.path("type").asText())) {
                    continue;
                }
                Matcher m = Pattern.compile("label_values\\((.*), *(\\w+)\\)$").matcher(variable.path("definition")
                        .asText());
                assertThat(m.matches()).as(variable.toString()).isTrue();
                JsonNode series = get(prometheus, "/api/v1/series?match[]=" + encode(substitute(m.group(1)))
                        + "&start=" + start);
                List<String> values = new ArrayList<>();
                series.path("data").forEach(s -> values.add(s.path(m.group(2)).asText()));
                assertThat(values).as("variable %s", variable.path("name").asText()).isNotEmpty()
                        .allSatisfy(v -> assertThat(v).isNotBlank());
                if (variable.path("name").asText().equals("instance")) {
                    assertThat(values).contains("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
                }
            }
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Every panel target and annotation of the dashboard, by title, with its variables filled in as "All". */
    private static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        for (JsonNode panel : panels) {
            int n = 0;
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " #" + (++n), substitute(target.path("expr").asText()));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (annotation.has("expr")) {
                queries.put("annotation " + annotation.path("name").asText(),
                        substitute(annotation.path("expr").asText()));
            }
        }
        assertThat(queries).hasSizeGreaterThan(20);
        return queries;
    }

    private static String substitute(String expr) {
        return expr.replace("$application", "sample-service").replace("$instance", ".*").replace("$point", ".*")
                .replace("$source", ".*").replace("$__rate_interval", "5s").replace("$__interval", "5s");
    }

    private long serve(int port) throws Exception {
        Path log = dir.resolve("service-" + port + ".log");
        Process p = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.readString(log).contains("sample-service listening on"));
        return p.pid();
    }

    private void startPrometheus(int port, int[] targets) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: sample-service",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + targets[0] + "', '127.0.0.1:" + targets[1] + "']",
                ""));
        processes.add(new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());
    }

    private void cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                "dev.jchaos.core.internal.cli.Cli"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** About 20 orders a second to each instance for {@code length}; answers are not awaited beyond their timeout. */
    private void load(int[] ports, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            for (int port : ports) {
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                        .timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"DASH-1\",\"quantity\":1}")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            TimeUnit.MILLISECONDS.sleep(50); // the load's pace, not synchronisation
        }
    }

    private int upTargets(String prometheus) throws Exception {
        JsonNode up = get(prometheus, "/api/v1/query?query=" + encode("up{job=\"sample-service\"} == 1"));
        return up.path("data").path("result").size();
    }

    private int rangeResults(String prometheus, String query, long start) throws Exception {
        JsonNode answer = get(prometheus, "/api/v1/query_range?query=" + encode(query) + "&start=" + start
                + "&end=" + (System.currentTimeMillis() / 1000) + "&step=1");
        assertThat(answer.path("status").asText()).as("%s", answer).isEqualTo("success");
        int points = 0;
        for (JsonNode series : answer.path("data").path("result")) {
            points += series.path("values").size();
        }
        return points;
    }

    private JsonNode get(String prometheus, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(prometheus + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
