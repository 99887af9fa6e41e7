package dev.jchaos.core.metrics;

import dev.jchaos.core.internal.MiniJson;
import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.Point;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedThreadPoolBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Grafana dashboard queries only metrics that a real application with jchaos, Resilience4j and JVM metrics exposes. */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of(System.getProperty("basedir", "."))
            .resolve("../dashboards/jchaos-grafana.json");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset");

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws Throwable {
        Map<String, Object> dashboard = dashboard();
        Set<String> used = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            used.addAll(metricNames(expr));
        }
        for (String query : variableQueries(dashboard)) {
            Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(query);
            if (m.find()) {
                used.add(m.group(1));
            }
        }
        // the panels the issue asks for
        assertThat(used).contains("jchaos_activations_total", "jchaos_halts_total");
        assertThat(used).contains("jvm_threads_live_threads", "jvm_threads_states_threads",
                "jchaos_threads_growth_threads", "jchaos_inflight_threads", "jchaos_injections_total",
                "jchaos_timeout_rate_ratio", "resilience4j_timelimiter_calls_total",
                "resilience4j_bulkhead_queue_depth", "resilience4j_bulkhead_active_thread_count");

        String scrape = scrapeOfAnApplication();
        Set<String> scraped = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                Matcher m = IDENTIFIER.matcher(line);
                if (m.lookingAt()) {
                    scraped.add(m.group());
                }
            }
        }
        assertThat(scraped).containsAll(used);
    }

    @Test
    void queriesFilterByApplicationAndInstanceThroughThePrometheusVariable() throws IOException {
        Map<String, Object> dashboard = dashboard();
        List<Map<String, Object>> variables = list(map(dashboard.get("templating")).get("list"));
        assertThat(variables).extracting(v -> v.get("name"))
                .contains("datasource", "application", "instance");
        Map<String, Object> datasource = variables.stream()
                .filter(v -> "datasource".equals(v.get("name"))).findFirst().orElseThrow();
        assertThat(datasource).containsEntry("type", "datasource").containsEntry("query", "prometheus");

        List<String> expressions = expressions(dashboard);
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(15);
        assertThat(expressions).allSatisfy(expr -> assertThat(expr)
                .contains("application=\"$application\"", "instance=~\"$instance\""));
        Map<String, Object> instance = variables.stream()
                .filter(v -> "instance".equals(v.get("name"))).findFirst().orElseThrow();
        assertThat(instance).containsEntry("multi", true).containsEntry("includeAll", true)
                .containsEntry("allValue", ".*");
        for (Map<String, Object> panel : panels(dashboard)) {
            if (!"row".equals(panel.get("type"))) {
                assertThat(map(panel.get("datasource"))).as("%s", panel.get("title"))
                        .containsEntry("uid", "${datasource}");
                assertThat((String) panel.get("description")).as("%s", panel.get("title")).isNotBlank();
            }
        }
    }

    @Test
    void metricNamesAreReadFromPromQl() {
        assertThat(metricNames("sum by (name, kind) (rate(resilience4j_timelimiter_calls_total"
                + "{application=\"$application\", kind=\"timeout\"}[$__rate_interval])) / on (name) "
                + "jvm_threads_live_threads offset 5m"))
                .containsExactlyInAnyOrder("resilience4j_timelimiter_calls_total", "jvm_threads_live_threads");
        assertThatThrownBy(() -> MiniJson.parse("{\"a\": [1, 2,]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    }

    /** An application as the README binds it: ChaosMetrics, Resilience4j's tagged metrics, one point of each kind. */
    private static String scrapeOfAnApplication() throws Throwable {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", "dashboard-test");
        TimeLimiterRegistry limiters = TimeLimiterRegistry.ofDefaults();
        ThreadPoolBulkheadRegistry bulkheads = ThreadPoolBulkheadRegistry.ofDefaults();
        ThreadPoolBulkhead bulkhead = bulkheads.bulkhead("inventory");
        Engine engine = EngineHooks.standaloneEngine();
        try {
            new ChaosMetrics(Tags.empty(), ChaosMetrics.DEFAULT_MAX_POINTS, engine).observe(limiters)
                    .bindTo(registry);
            TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(limiters).bindTo(registry);
            TaggedThreadPoolBulkheadMetrics.ofThreadPoolBulkheadRegistry(bulkheads).bindTo(registry);

            TimeLimiter limiter = limiters.timeLimiter("pricing");
            limiter.executeFutureSupplier(() -> CompletableFuture.completedFuture("ok"));
            Point point = EngineHooks.register(engine, "dashboard.demo");
            // a point woven after the meters were bound gets its meters on the events thread, a moment later, as
            // a real scrape some seconds after the class loaded finds them; scraping at once would race that
            engine.awaitListeners();
            engine.setEnabled(true);
            engine.activate(point.id(), "1*delay(1ms)->off");
            EngineHooks.call(point, null);
            return registry.scrape();
        } finally {
            engine.deactivateAll();
            engine.setEnabled(false);
            bulkhead.close();
            registry.close();
        }
    }

    /** The metric names in a PromQL expression: identifiers outside label matchers, ranges and label lists. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\S+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < s.length() && s.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            boolean variable = m.start() > 0 && s.charAt(m.start() - 1) == '$';
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !variable && !number && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    private static Map<String, Object> dashboard() throws IOException {
        return map(MiniJson.parse(Files.readString(DASHBOARD)));
    }

    private static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> panel : list(dashboard.get("panels"))) {
            all.add(panel);
            if (panel.get("panels") != null) {
                all.addAll(list(panel.get("panels")));
            }
        }
        return all;
    }

    /** Every PromQL expression of the dashboard: its panels' targets and its Prometheus annotations. */
    static List<String> expressions(Map<String, Object> dashboard) {
        List<String> result = new ArrayList<>();
        for (Map<String, Object> annotation : list(map(dashboard.get("annotations")).get("list"))) {
            if (annotation.get("expr") != null) {
                result.add((String) annotation.get("expr"));
            }
        }
        for (Map<String, Object> panel : panels(dashboard)) {
            if (panel.get("targets") != null) {
                for (Map<String, Object> target : list(panel.get("targets"))) {
                    result.add((String) target.get("expr"));
                }
            }
        }
        return result;
    }

    private static List<String> variableQueries(Map<String, Object> dashboard) {
        List<String> result = new ArrayList<>();
        for (Map<String, Object> variable : list(map(dashboard.get("templating")).get("list"))) {
            if ("query".equals(variable.get("type"))) {
                result.add((String) variable.get("definition"));
                result.add((String) map(variable.get("query")).get("query"));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
