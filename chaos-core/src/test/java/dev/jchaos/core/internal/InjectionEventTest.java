package dev.jchaos.core.internal;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every fired injection is one {@code dev.jchaos.Injection} event with its point, action and the time injected. */
class InjectionEventTest {

    private final Engine engine = Engine.standalone();

    @AfterEach
    void off() {
        engine.deactivateAll();
        engine.setEnabled(false);
    }

    private Point point(String id) {
        return engine.register(id, "test.Jfr#" + id, Program.declared(100, 0, 1.0, -1),
                InjectionEventTest.class.getClassLoader());
    }

    private static void call(Point p) throws Throwable {
        Declaration d = p.declarations().get(0);
        d.enterSite.getTarget().invokeExact();
        d.exitSite.getTarget().invokeExact((Throwable) null);
    }

    @Test
    void recordingHoldsOneEventPerInjectionWithPointActionAndDuration(@TempDir Path dir) throws Throwable {
        Point delayed = point("jfr.Delayed#call");
        Point thrower = point("jfr.Thrower#call");
        Point hung = point("jfr.Hung#call");
        Point quiet = point("jfr.Quiet#call");
        engine.setEnabled(true);
        engine.activate("jfr.Delayed#call", "3*delay(30ms)->off");
        engine.activate("jfr.Thrower#call", "2*throw(java.lang.IllegalStateException,injected)->off");
        engine.activate("jfr.Hung#call", "hang");
        engine.activate("jfr.Quiet#call", "off");

        Path file = dir.resolve("injections.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.jchaos.Injection");
            recording.start();
            for (int i = 0; i < 5; i++) {
                call(delayed);
                call(quiet);
            }
            for (int i = 0; i < 3; i++) {
                try {
                    call(thrower);
                } catch (IllegalStateException injected) {
                    // the first two calls throw
                }
            }
            CountDownLatch back = new CountDownLatch(1);
            Thread held = new Thread(() -> {
                try {
                    call(hung);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                back.countDown();
            }, "jfr-hung");
            held.setDaemon(true);
            held.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> hung.inFlight() == 1);
            Thread.sleep(50); // the hang must last a measurable while; its end is the kill switch below
            engine.deactivateAll();
            assertThat(back.await(5, TimeUnit.SECONDS)).isTrue();
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.jchaos.Injection")).toList();
        assertThat(events).hasSize(6);
        assertThat(events).filteredOn(e -> e.getString("action").equals("delay")).hasSize(3)
                .allSatisfy(e -> {
                    assertThat(e.getString("point")).isEqualTo("jfr.Delayed#call");
                    assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(29));
                });
        assertThat(events).filteredOn(e -> e.getString("action").equals("throw")).hasSize(2)
                .allSatisfy(e -> assertThat(e.getString("point")).isEqualTo("jfr.Thrower#call"));
        assertThat(events).filteredOn(e -> e.getString("action").equals("hang")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getString("point")).isEqualTo("jfr.Hung#call");
                    assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(45));
                    assertThat(e.getThread().getJavaName()).isEqualTo("jfr-hung");
                });
        assertThat(delayed.injections("delay")).isEqualTo(3);
        assertThat(thrower.injections("throw")).isEqualTo(2);
    }

    @Test
    void withoutARecordingInjectionsStillFire() throws Throwable {
        Point p = point("jfr.Unrecorded#call");
        engine.setEnabled(true);
        engine.activate("jfr.Unrecorded#call", "1*throw(java.lang.IllegalStateException)->off");
        assertThatThrownBy(() -> call(p)).isInstanceOf(IllegalStateException.class);
        assertThat(InjectionEvents.begin()).as("no recording asks for the event: nothing allocated").isNull();
    }
}
