package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Halt conditions: the language, each metric, a breach while 200 threads are held, and bad input. */
class HaltWhenTest {

    private final Engine engine = Engine.standalone();
    private final List<Thread> started = new ArrayList<>();
    private final List<String> changes = new CopyOnWriteArrayList<>();

    HaltWhenTest() {
        engine.addChangeListener((type, description) -> changes.add(type + ": " + description));
    }

    @AfterEach
    void releaseEverything() throws InterruptedException {
        engine.deactivateAll();
        engine.setEnabled(false);
        for (Thread t : started) {
            t.interrupt();
            t.join(5_000);
        }
    }

    private Point point(String id) {
        return engine.register(id, "test.Halt#" + id, Program.declared(100, 0, 1.0, -1),
                HaltWhenTest.class.getClassLoader());
    }

    private static void call(Point p) throws Throwable {
        Declaration d = p.declarations().get(0);
        d.enterSite.getTarget().invokeExact();
        d.exitSite.getTarget().invokeExact((Throwable) null);
    }

    /** Starts {@code n} threads that call {@code p}; the latch counts those that came back. */
    private CountDownLatch hold(Point p, int n) {
        CountDownLatch back = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    call(p);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                back.countDown();
            }, "held-" + i);
            t.setDaemon(true);
            started.add(t);
            t.start();
        }
        return back;
    }

    @Test
    void conditionsParseToCanonicalText() {
        assertThat(HaltConditions.parse(" threads.growth > 200 ; inflight<5;timeout.rate[point:a.B#c] > 0.5 ")
                .toString()).isEqualTo("threads.growth>200;inflight<5;timeout.rate[point:a.B#c]>0.5");
        assertThat(HaltConditions.parse("timeout.rate>0.25").toString()).isEqualTo("timeout.rate>0.25");
        assertThat(HaltConditions.parse("").isEmpty()).isTrue();
        assertThat(HaltConditions.parse(null).isEmpty()).isTrue();
    }

    @Test
    void malformedConditionsNameTheProblemAtItsColumn() {
        assertBad("threads.growt>200", 1, "unknown metric 'threads.growt'");
        assertBad("threads.growth>", 16, "expected a number");
        assertBad("threads.growth=200", 15, "expected '>' or '<'");
        assertBad("inflight>5;;", 12, "expected a metric");
        assertBad("inflight>5 inflight>6", 12, "expected ';'");
        assertBad("timeout.rate[x>0.5", 19, "expected ']'");
        assertBad("inflight[x]>1", 9, "only timeout.rate takes a [source]");
        assertBad("timeout.rate>1.5", 14, "a timeout rate is a ratio from 0 to 1");
        assertBad("inflight>5x", 11, "expected ';'");
    }

    private static void assertBad(String text, int column, String reason) {
        assertThatThrownBy(() -> HaltConditions.parse(text)).as(text)
                .isInstanceOfSatisfying(ChaosConfigException.class, e -> {
                    assertThat(e.column()).as(text).isEqualTo(column);
                    assertThat(e.reason()).as(text).contains(reason);
                    assertThat(e.getMessage()).contains("\"" + text + "\"");
                });
    }

    @Test
    void malformedHaltWhenChangesNothing() {
        engine.setHaltWhen("inflight>3");
        assertThatThrownBy(() -> engine.setHaltWhen("inflight>>3")).isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("column 10");
        assertThat(engine.haltWhen()).isEqualTo("inflight>3");
    }

    @Test
    void breachWhile200ThreadsAreHeldPullsTheKillSwitchReleasesThemAllAndSwitchesChaosOff() throws Throwable {
        Point p = point("a.B#pileUp");
        engine.setEnabled(true);
        engine.activate("a.B#pileUp", "hang");
        engine.setHaltWhen("threads.growth>100");
        CountDownLatch back = hold(p, 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> p.inFlight() == 200);

        String breach = engine.checkHalt();

        assertThat(breach).matches("threads\\.growth \\d+ > 100");
        assertThat(back.await(5, TimeUnit.SECONDS)).as("all 200 released").isTrue();
        assertThat(p.inFlight()).isZero();
        assertThat(engine.isEnabled()).isFalse();
        assertThat(engine.activations()).isEmpty();
        assertThat(engine.haltCount()).isEqualTo(1);
        assertThat(changes).contains("halt: " + breach, "enabled: false");
        // halted stays halted: nothing is armed, so nothing is checked
        assertThat(engine.checkHalt()).isNull();
    }

    @Test
    void inflightAboveTheLimitHalts() throws Throwable {
        Point p = point("a.B#inflight");
        engine.setEnabled(true);
        engine.activate("a.B#inflight", "hang");
        engine.setHaltWhen("inflight>2");
        CountDownLatch back = hold(p, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.inFlight() == 2);
        assertThat(engine.checkHalt()).as("at the limit, not above it").isNull();
        hold(p, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.inFlight() == 3);

        assertThat(engine.checkHalt()).isEqualTo("inflight 3 > 2");
        assertThat(back.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.isEnabled()).isFalse();
    }

    @Test
    void timeoutRateOfOneSourceAndOfAnySourceHalt() {
        String source = "test:halt-" + System.nanoTime();
        for (int i = 0; i < 10; i++) {
            engine.timeouts().record(source, i < 6);
        }
        engine.setEnabled(true);
        engine.setHaltWhen("timeout.rate[" + source + "]>0.7");
        assertThat(engine.checkHalt()).isNull();
        engine.setHaltWhen("timeout.rate[" + source + "]>0.5");
        assertThat(engine.checkHalt()).isEqualTo("timeout.rate[" + source + "] 0.600 > 0.5");
        assertThat(engine.isEnabled()).isFalse();

        engine.setEnabled(true);
        engine.setHaltWhen("timeout.rate>0.5");
        assertThat(engine.checkHalt()).startsWith("timeout.rate ").contains(" > 0.5 (source ");
        assertThat(engine.isEnabled()).isFalse();
    }

    @Test
    void belowConditionsHaltWhenTheValueFalls() {
        engine.setEnabled(true);
        engine.setHaltWhen("threads.growth<-100000");
        assertThat(engine.checkHalt()).isNull();
        engine.setHaltWhen("inflight<1");
        assertThat(engine.checkHalt()).isEqualTo("inflight 0 < 1");
    }

    @Test
    void nothingIsCheckedWhileDisarmed() {
        engine.setHaltWhen("inflight<1");
        assertThat(engine.checkHalt()).isNull();
        assertThat(engine.haltCount()).isZero();
    }

    @Test
    void haltWhenPropertyIsReadWithTheOthersAndABadOneAppliesNothing() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("jchaos.haltWhen", "threads.growth>200");
        assertThat(Engine.fromProperties(props).haltWhen()).isEqualTo("threads.growth>200");

        props.setProperty("jchaos.haltWhen", "threads.growth>2oo");
        props.setProperty("jchaos.enabled", "true");
        assertThatThrownBy(() -> Settings.read(props)).isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("jchaos.haltWhen").hasMessageContaining("column 17");
        Engine bad = Engine.fromProperties(props);
        assertThat(bad.haltWhen()).isEmpty();
        assertThat(bad.isEnabled()).isFalse();
    }
}
