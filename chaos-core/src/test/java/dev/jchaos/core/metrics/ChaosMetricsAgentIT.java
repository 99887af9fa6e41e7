package dev.jchaos.core.metrics;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.it.fixtures.Work;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * As an application sees it: the agent installed, {@code new ChaosMetrics().bindTo(prometheus)}, a woven
 * {@code @InjectDelay} method ({@code fixture.work}), everything read back from the scrape text. Other agent tests
 * share this JVM and the point, so counts are compared before and after.
 */
class ChaosMetricsAgentIT {

    private static final String POINT = "point=\"fixture.work\"";
    private static final String REMOTE = "point=\"fixture.remote\"";

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Thread> callers = new ArrayList<>();

    @BeforeAll
    static void install() {
        Chaos.installAgent();
    }

    @AfterEach
    void disarm() throws InterruptedException {
        Chaos.controller().deactivateAll();
        Chaos.controller().setEnabled(false);
        for (Thread t : callers) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s released", t.getName()).isFalse();
        }
        prometheus.close();
    }

    @Test
    void wovenPointCallsInjectionsDelayAndTimeoutsShowInTheScrape() throws Exception {
        new ChaosMetrics().bindTo(prometheus);
        ChaosController chaos = Chaos.controller();
        chaos.setEnabled(false);
        assertThat(Work.remote(1)).isEqualTo(2);
        // meters of points follow the registry on a jchaos thread: wait for this one's
        await().atMost(Duration.ofSeconds(10)).until(() -> prometheus.scrape().contains("jchaos_point_calls_total{" + REMOTE + "}"));
        String before = prometheus.scrape();
        // dormant: a call while chaos is off records nothing
        assertThat(Work.remote(1)).isEqualTo(2);
        assertThat(value(prometheus.scrape(), "jchaos_point_calls_total{" + REMOTE + "}"))
                .isEqualTo(value(before, "jchaos_point_calls_total{" + REMOTE + "}"));

        chaos.setEnabled(true);
        chaos.activate("fixture.remote", "2*delay(30ms)->1*throw(java.util.concurrent.TimeoutException,slow)->off");
        assertThat(Work.remote(1)).isEqualTo(2);
        assertThat(Work.remote(1)).isEqualTo(2);
        assertThatThrownBy(() -> Work.remote(1)).isInstanceOf(TimeoutException.class).hasMessage("slow");
        assertThat(Work.remote(1)).isEqualTo(2);
        assertThat(Work.remote(1)).isEqualTo(2);

        String after = prometheus.scrape();
        assertThat(delta(before, after, "jchaos_point_calls_total{" + REMOTE + "}")).isEqualTo(5);
        assertThat(delta(before, after, "jchaos_injections_total{action=\"delay\"," + REMOTE + "}")).isEqualTo(2);
        assertThat(delta(before, after, "jchaos_injections_total{action=\"throw\"," + REMOTE + "}")).isEqualTo(1);
        assertThat(delta(before, after, "jchaos_injected_delay_seconds_count{" + REMOTE + "}")).isEqualTo(2);
        assertThat(delta(before, after, "jchaos_injected_delay_seconds_sum{" + REMOTE + "}")).isBetween(0.06, 5.0);
        assertThat(delta(before, after, "jchaos_timeouts_total{source=\"point:fixture.remote\"}")).isEqualTo(1);
        assertThat(value(after, "jchaos_timeout_rate_ratio{source=\"point:fixture.remote\"}"))
                .isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(value(after, "jchaos_points_active_points")).isEqualTo(1);
    }

    @Test
    void hangHoldsThreadsThatInFlightAndGrowthShowUntilTheKillSwitch() throws Exception {
        new ChaosMetrics().bindTo(prometheus);
        ChaosController chaos = Chaos.controller();
        chaos.setEnabled(false);
        chaos.setEnabled(true);
        assertThat(Work.declared(1)).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> prometheus.scrape().contains("jchaos_inflight_threads{" + POINT + "}"));
        chaos.activate("fixture.work", "hang(30s)");
        String before = prometheus.scrape();
        for (int i = 0; i < 4; i++) {
            Thread caller = new Thread(() -> Work.declared(1), "held-by-hang-" + i);
            callers.add(caller);
            caller.start();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value(prometheus.scrape(), "jchaos_inflight_threads{" + POINT + "}") < 4) {
            assertThat(System.nanoTime()).as("4 threads held").isLessThan(deadline);
            Thread.sleep(10);
        }
        String held = prometheus.scrape();
        // other JVM threads may come and go meanwhile: a little noise above the four
        assertThat(value(held, "jchaos_threads_growth_threads")).isBetween(4.0, 8.0);
        assertThat(value(held, "jvm_threads_states_threads{state=\"timed-waiting\"}")).isGreaterThanOrEqualTo(4);

        chaos.deactivateAll();
        for (Thread t : callers) {
            t.join(10_000);
        }
        String released = prometheus.scrape();
        assertThat(value(released, "jchaos_inflight_threads{" + POINT + "}")).isZero();
        assertThat(delta(before, released, "jchaos_injections_total{action=\"hang\"," + POINT + "}")).isEqualTo(4);
        assertThat(value(released, "jchaos_threads_growth_threads")).isLessThan(4);
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** The sample of {@code series} (name and labels exactly as scraped) in Prometheus text. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + scrape);
    }
}
