package dev.jchaos.core.metrics;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosController;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ChaosMetricsTest {

    private final SimpleMeterRegistry simple = new SimpleMeterRegistry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Thread> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopEverything() throws InterruptedException {
        release.countDown();
        for (Thread t : started) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
        }
        simple.close();
        prometheus.close();
    }

    @Test
    void globalMetersHaveDescriptionsAndUnitsAndJvmThreadMetricsComeAlong() {
        new ChaosMetrics().bindTo(simple);

        for (String name : List.of(ChaosMetrics.POINTS_ACTIVE, ChaosMetrics.THREADS_GROWTH)) {
            Meter meter = simple.get(name).meter();
            assertThat(meter.getId().getDescription()).as(name).isNotBlank();
            assertThat(meter.getId().getBaseUnit()).as(name).isNotBlank();
        }
        assertThat(simple.get("jvm.threads.live").gauge().value()).isPositive();
        assertThat(simple.get("jvm.threads.states").tag("state", "runnable").gauge().value()).isPositive();
    }

    @Test
    void growthCountsThreadsStartedSinceChaosWasEnabled() throws InterruptedException {
        new ChaosMetrics().bindTo(simple);
        ChaosController controller = Chaos.controller();
        boolean wasEnabled = controller.isEnabled();
        try {
            controller.setEnabled(false);
            controller.setEnabled(true);
            double before = simple.get(ChaosMetrics.THREADS_GROWTH).gauge().value();
            startParkedThreads(5);

            // other JVM threads may come and go meanwhile: allow a little noise, never less than the five
            double growth = simple.get(ChaosMetrics.THREADS_GROWTH).gauge().value();
            assertThat(growth - before).isBetween(5.0, 7.0);
            assertThat(growth).isBetween(5.0, 9.0);
        } finally {
            controller.setEnabled(wasEnabled);
        }
    }

    @Test
    void timeoutSourcesGetCounterAndRateBeforeAndAfterBinding() {
        String early = "test:" + UUID.randomUUID();
        String late = "test:" + UUID.randomUUID();
        Chaos.timeouts().record(early, true);
        new ChaosMetrics().bindTo(simple);
        for (int i = 0; i < 8; i++) {
            Chaos.timeouts().record(late, i < 2);
        }

        assertThat(simple.get(ChaosMetrics.TIMEOUTS).tag("source", early).functionCounter().count()).isEqualTo(1);
        assertThat(simple.get(ChaosMetrics.TIMEOUT_RATE).tag("source", early).gauge().value()).isEqualTo(1.0);
        assertThat(simple.get(ChaosMetrics.TIMEOUTS).tag("source", late).functionCounter().count()).isEqualTo(2);
        assertThat(simple.get(ChaosMetrics.TIMEOUT_RATE).tag("source", late).gauge().value())
                .isCloseTo(0.25, within(1e-9));
        Meter rate = simple.get(ChaosMetrics.TIMEOUT_RATE).tag("source", late).meter();
        assertThat(rate.getId().getDescription()).isNotBlank();
        assertThat(rate.getId().getBaseUnit()).isEqualTo("ratio");
    }

    @Test
    void timeLimiterTimeoutsAndCallsAreCountedIncludingLimitersCreatedLater() throws Exception {
        TimeLimiterRegistry limiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(Duration.ofMillis(50)).cancelRunningFuture(true).build());
        String earlyName = "early-" + UUID.randomUUID();
        String lateName = "late-" + UUID.randomUUID();
        TimeLimiter early = limiters.timeLimiter(earlyName);
        new ChaosMetrics().observe(limiters).bindTo(prometheus);
        TimeLimiter late = limiters.timeLimiter(lateName);

        for (int i = 0; i < 3; i++) {
            CompletableFuture<String> never = new CompletableFuture<>();
            assertThatThrownBy(() -> late.executeFutureSupplier(() -> never)).isInstanceOf(TimeoutException.class);
            assertThat(never).isCancelled();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(late.executeFutureSupplier(() -> CompletableFuture.completedFuture("ok"))).isEqualTo("ok");
        }
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("boom"));
        assertThatThrownBy(() -> late.executeFutureSupplier(() -> failed)).isInstanceOf(IllegalStateException.class);
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThatThrownBy(() -> early.executeFutureSupplier(() -> never)).isInstanceOf(TimeoutException.class);

        String scrape = prometheus.scrape();
        assertThat(sample(scrape, "jchaos_timeouts_total", "timelimiter:" + lateName)).isEqualTo(3.0);
        assertThat(sample(scrape, "jchaos_timeout_rate_ratio", "timelimiter:" + lateName))
                .isCloseTo(3.0 / 8, within(1e-9));
        assertThat(sample(scrape, "jchaos_timeouts_total", "timelimiter:" + earlyName)).isEqualTo(1.0);
        assertThat(Chaos.timeouts().calls("timelimiter:" + lateName)).isEqualTo(8);
    }

    @Test
    void observingTheSameRegistryTwiceCountsEachTimeoutOnce() throws Exception {
        TimeLimiterRegistry limiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(Duration.ofMillis(20)).build());
        String name = "twice-" + UUID.randomUUID();
        new ChaosMetrics().observe(limiters).observe(limiters);
        new ChaosMetrics().observe(limiters).bindTo(simple);

        CompletableFuture<String> never = new CompletableFuture<>();
        assertThatThrownBy(() -> limiters.timeLimiter(name).executeFutureSupplier(() -> never))
                .isInstanceOf(TimeoutException.class);

        assertThat(simple.get(ChaosMetrics.TIMEOUTS).tag("source", "timelimiter:" + name).functionCounter().count())
                .isEqualTo(1);
    }

    @Test
    void prometheusScrapeShowsMetersWithHelpAndUnits() {
        String source = "test:" + UUID.randomUUID();
        Chaos.timeouts().record(source, false);
        new ChaosMetrics().bindTo(prometheus);

        String scrape = prometheus.scrape();
        assertThat(scrape).contains(
                "# HELP jchaos_points_active_points Points with active actions",
                "# HELP jchaos_threads_growth_threads ",
                "# HELP jchaos_timeouts_total Finished calls that ended in a timeout",
                "# HELP jchaos_timeout_rate_ratio ",
                "jvm_threads_live_threads ");
        assertThat(sample(scrape, "jchaos_timeouts_total", source)).isZero();
        assertThat(sample(scrape, "jchaos_timeout_rate_ratio", source)).isZero();
    }

    @Test
    void extraTagsAreOnEveryMeter() {
        String source = "test:" + UUID.randomUUID();
        Chaos.timeouts().record(source, true);
        new ChaosMetrics(io.micrometer.core.instrument.Tags.of("experiment", "e1")).bindTo(simple);

        assertThat(simple.get(ChaosMetrics.TIMEOUTS).tags("source", source, "experiment", "e1").functionCounter()
                .count()).isEqualTo(1);
        assertThat(simple.get(ChaosMetrics.POINTS_ACTIVE).tag("experiment", "e1").gauge()).isNotNull();
        assertThat(simple.get("jvm.threads.live").tag("experiment", "e1").gauge()).isNotNull();
    }

    /** The value of {@code metric} for {@code source} in Prometheus text, or NaN when the line is missing. */
    static double sample(String scrape, String metric, String source) {
        String label = "source=\"" + source + "\"";
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    private void startParkedThreads(int n) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                running.countDown();
                awaitRelease();
            }, "held-" + i);
            t.setDaemon(true);
            started.add(t);
            t.start();
        }
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
