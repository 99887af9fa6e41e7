package dev.jchaos.core.metrics;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.Point;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Point meters read through a standalone engine, with calls run through the points' call sites. */
class ChaosPointMetricsTest {

    private final Engine engine = EngineHooks.standaloneEngine();
    private final String prefix = "metrics." + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final SimpleMeterRegistry simple = new SimpleMeterRegistry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Thread> callers = new ArrayList<>();

    @AfterEach
    void releaseEverything() throws InterruptedException {
        engine.deactivateAll();
        engine.setEnabled(false);
        for (Thread t : callers) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s released", t.getName()).isFalse();
        }
        simple.close();
        prometheus.close();
    }

    @Test
    void pointsKnownWhenBindingHaveTheirMetersOnceBindToReturns() {
        EngineHooks.register(engine, prefix + "known");
        new ChaosMetrics(Tags.empty(), ChaosMetrics.DEFAULT_MAX_POINTS, engine).bindTo(simple);
        // no waiting: a scrape right after start-up, or a check right after binding, must find them
        assertThat(simple.find(ChaosMetrics.POINT_CALLS).tag("point", prefix + "known").functionCounter()).isNotNull();
    }

    @Test
    void callsInjectionsDelayAndTimeoutsArePerPointAndAction() throws Throwable {
        Point early = EngineHooks.register(engine, prefix + "early");
        ChaosMetrics metrics = new ChaosMetrics(Tags.empty(), ChaosMetrics.DEFAULT_MAX_POINTS, engine);
        metrics.bindTo(simple);
        metrics.bindTo(prometheus);
        Point late = EngineHooks.register(engine, prefix + "late");
        engine.setEnabled(true);
        engine.activate(prefix + "*",
                "2*delay(20ms)->1*throw(java.util.concurrent.TimeoutException,too slow)->off");

        engine.awaitListeners();
        EngineHooks.call(late, null);
        EngineHooks.call(late, null);
        assertThatThrownBy(() -> EngineHooks.call(late, null))
                .isInstanceOf(TimeoutException.class).hasMessage("too slow");
        EngineHooks.call(late, null);
        assertThatThrownBy(() -> EngineHooks.call(late, new SocketTimeoutException("Read timed out")))
                .isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> EngineHooks.call(late, new IllegalStateException("not a timeout")))
                .isInstanceOf(IllegalStateException.class);

        String id = late.id();
        assertThat(simple.get(ChaosMetrics.POINT_CALLS).tag("point", id).functionCounter().count()).isEqualTo(6);
        assertThat(injections(id, "delay")).isEqualTo(2);
        assertThat(injections(id, "throw")).isEqualTo(1);
        assertThat(injections(id, "hang")).isZero();
        FunctionTimer delay = simple.get(ChaosMetrics.INJECTED_DELAY).tag("point", id).functionTimer();
        assertThat(delay.count()).isEqualTo(2);
        assertThat(delay.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(40);
        assertThat(simple.get(ChaosMetrics.TIMEOUTS).tag("source", "point:" + id).functionCounter().count())
                .isEqualTo(2);
        assertThat(simple.get(ChaosMetrics.TIMEOUT_RATE).tag("source", "point:" + id).gauge().value())
                .isCloseTo(2.0 / 6, within(1e-9));
        assertThat(simple.get(ChaosMetrics.POINTS_ACTIVE).gauge().value()).isEqualTo(2);
        assertThat(simple.get(ChaosMetrics.POINT_CALLS).tag("point", early.id()).functionCounter().count()).isZero();

        String scrape = prometheus.scrape();
        assertThat(scrape).contains(
                "jchaos_point_calls_total{point=\"" + id + "\"} 6.0",
                "jchaos_injections_total{action=\"delay\",point=\"" + id + "\"} 2.0",
                "jchaos_injections_total{action=\"throw\",point=\"" + id + "\"} 1.0",
                "jchaos_injected_delay_seconds_count{point=\"" + id + "\"} 2",
                "jchaos_inflight_threads{point=\"" + id + "\"} 0.0",
                "jchaos_timeouts_total{source=\"point:" + id + "\"} 2.0",
                "jchaos_points_active_points 2.0");
    }

    @Test
    void inFlightAndGrowthCountThreadsHeldByHangUntilReleased() throws Exception {
        Point point = EngineHooks.register(engine, prefix + "hang");
        new ChaosMetrics(Tags.empty(), ChaosMetrics.DEFAULT_MAX_POINTS, engine).bindTo(simple);
        engine.setEnabled(true);
        engine.activate(point.id(), "hang(30s)");

        for (int i = 0; i < 4; i++) {
            Thread caller = new Thread(() -> {
                try {
                    EngineHooks.call(point, null);
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            }, "held-by-hang-" + i);
            callers.add(caller);
            caller.start();
        }
        await(() -> inFlight(point.id()) == 4, "4 threads in flight");
        double growth = simple.get(ChaosMetrics.THREADS_GROWTH).gauge().value();
        // other threads of the JVM may come and go meanwhile: a little noise above the four
        assertThat(growth).isBetween(4.0, 7.0);

        engine.deactivateAll();

        await(() -> inFlight(point.id()) == 0, "held threads released");
        for (Thread t : callers) {
            t.join(10_000);
        }
        assertThat(injections(point.id(), "hang")).isEqualTo(4);
        assertThat(simple.get(ChaosMetrics.INJECTED_DELAY).tag("point", point.id()).functionTimer().count())
                .isEqualTo(4);
        assertThat(simple.get(ChaosMetrics.THREADS_GROWTH).gauge().value()).isLessThan(growth);
    }

    @Test
    void dormantPointRecordsNothing() throws Throwable {
        Point point = EngineHooks.register(engine, prefix + "dormant");
        new ChaosMetrics(Tags.empty(), ChaosMetrics.DEFAULT_MAX_POINTS, engine).bindTo(simple);
        engine.awaitListeners();
        engine.activate(point.id(), "delay(1ms)");

        for (int i = 0; i < 5; i++) {
            EngineHooks.call(point, null);
        }

        assertThat(simple.get(ChaosMetrics.POINT_CALLS).tag("point", point.id()).functionCounter().count()).isZero();
        assertThat(point.timeoutSource().calls()).isZero();
        assertThat(simple.get(ChaosMetrics.POINTS_ACTIVE).gauge().value()).isZero();
    }

    @Test
    void pointsBeyondTheCapGetNoMetersAndOneWarning() {
        List<String> warnings = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("get no meters")) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("dev.jchaos");
        jul.addHandler(handler);
        try {
            new ChaosMetrics(Tags.empty(), 2, engine).bindTo(simple);
            // the binder must listen before the points come, or it meets them in the registry's hash order
            engine.awaitListeners();
            for (int i = 0; i < 5; i++) {
                EngineHooks.register(engine, prefix + "p" + i);
            }
            engine.awaitListeners();
        } finally {
            jul.removeHandler(handler);
        }

        assertThat(simple.find(ChaosMetrics.POINT_CALLS).functionCounters()).hasSize(2);
        assertThat(simple.find(ChaosMetrics.INFLIGHT).gauges()).hasSize(2);
        assertThat(warnings).singleElement().asString().contains("more than 2 points", prefix + "p2");
    }

    private double injections(String point, String action) {
        return simple.get(ChaosMetrics.INJECTIONS).tags("point", point, "action", action).functionCounter().count();
    }

    private double inFlight(String point) {
        return simple.get(ChaosMetrics.INFLIGHT).tag("point", point).gauge().value();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
