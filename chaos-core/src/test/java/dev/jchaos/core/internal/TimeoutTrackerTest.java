package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TimeoutTrackerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong nanos = new AtomicLong();
    private final TimeoutTracker tracker = new TimeoutTracker(TimeoutClock.of(nanos::get), 100,
            TimeoutTypes.parse(null));

    @Test
    void sourceIsCreatedOnceAndShared() {
        TimeoutTracker.Source a = tracker.source("http:inventory");

        assertThat(tracker.source("http:inventory")).isSameAs(a);
        assertThat(a.name()).isEqualTo("http:inventory");
    }

    @Test
    void recordCountsCallsTimeoutsAndRate() {
        for (int i = 0; i < 40; i++) {
            tracker.record("db", i % 4 == 0);
        }

        assertThat(tracker.calls("db")).isEqualTo(40);
        assertThat(tracker.timeouts("db")).isEqualTo(10);
        assertThat(tracker.rate("db")).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void rateForgetsCallsOlderThanSixtySeconds() {
        TimeoutTracker.Source source = tracker.source("db");
        source.record(true);
        nanos.set(30 * SECOND);
        source.record(false);

        nanos.set(60 * SECOND + SECOND / 2);
        // half of the first second is still inside the window
        assertThat(source.rate()).isCloseTo(0.5 / 1.5, within(1e-9));
        nanos.set(61 * SECOND);
        assertThat(source.rate()).isZero();
        assertThat(source.timeouts()).isEqualTo(1);
        assertThat(source.calls()).isEqualTo(2);
        nanos.set(91 * SECOND);
        assertThat(source.rate()).isZero();
    }

    @Test
    void unknownSourceReadsZeroWithoutBeingCreated() {
        assertThat(tracker.calls("never")).isZero();
        assertThat(tracker.timeouts("never")).isZero();
        assertThat(tracker.rate("never")).isZero();
        assertThat(tracker.sources()).isEmpty();
    }

    @Test
    void blankSourceNameIsRejectedByName() {
        assertThatThrownBy(() -> tracker.record(" ", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
        assertThatThrownBy(() -> tracker.source(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    }

    @Test
    void sourcesBeyondTheCapShareTheOverflowSourceAndOneWarningSaysSo() {
        TimeoutTracker capped = new TimeoutTracker(TimeoutClock.of(nanos::get), 3, TimeoutTypes.parse(null));
        List<String> announced = new ArrayList<>();
        capped.addSourceListener(s -> announced.add(s.name()));
        List<LogRecord> warnings = new ArrayList<>();
        Logger jul = Logger.getLogger("dev.jchaos");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("timeout sources")) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            for (int i = 0; i < 10; i++) {
                capped.record("user:" + i, i % 2 == 0);
            }
        } finally {
            jul.removeHandler(handler);
        }

        assertThat(announced).containsExactly("user:0", "user:1", "user:2", TimeoutTracker.OVERFLOW_SOURCE);
        assertThat(capped.source("user:7")).isSameAs(capped.source("user:9"));
        assertThat(capped.source("user:7").name()).isEqualTo(TimeoutTracker.OVERFLOW_SOURCE);
        assertThat(capped.source("user:7").calls()).isEqualTo(7);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getMessage()).contains("more than 3 timeout sources", "'user:3'",
                TimeoutTracker.OVERFLOW_SOURCE);
    }

    @Test
    void listenerSeesEverySourceOnceWhetherOlderOrNewer() {
        tracker.source("a");
        List<String> seen = new ArrayList<>();
        tracker.addSourceListener(s -> seen.add(s.name()));
        tracker.source("b");
        tracker.source("a");
        tracker.source("b");

        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void failingListenerDoesNotStopSourceCreation() {
        tracker.addSourceListener(s -> {
            throw new IllegalStateException("listener bug");
        });

        assertThat(tracker.source("x").name()).isEqualTo("x");
    }

    @Test
    void builtInTimeoutTypesAreRecognised() {
        assertThat(tracker.isTimeout(new TimeoutException())).isTrue();
        assertThat(tracker.isTimeout(new SocketTimeoutException())).isTrue();
        assertThat(tracker.isTimeout(new HttpTimeoutException("slow"))).isTrue();
        assertThat(tracker.isTimeout(new QueryTimeoutException())).isTrue();
        assertThat(tracker.isTimeout(new SubclassOfSocketTimeout())).isTrue();
        assertThat(tracker.isTimeout(new IllegalStateException("timeout"))).isFalse();
        assertThat(tracker.isTimeout(new IOException("Read timed out"))).isFalse();
        assertThat(tracker.isTimeout(null)).isFalse();
    }

    @Test
    void timeoutWrappedAsCauseIsRecognised() {
        assertThat(tracker.isTimeout(new UncheckedIOException(new SocketTimeoutException("Read timed out"))))
                .isTrue();
        assertThat(tracker.isTimeout(new ExecutionException(new TimeoutException()))).isTrue();
        assertThat(tracker.isTimeout(new RuntimeException(new IllegalStateException()))).isFalse();
    }

    @Test
    void configuredTypesAddClassesAndSuffixes() {
        assertThat(tracker.isTimeout(new DeadlineExceeded())).isFalse();
        assertThat(tracker.isTimeout(new ConnectionTimedOut())).isFalse();

        tracker.setTimeoutTypes(DeadlineExceeded.class.getName() + ", TimedOut");

        assertThat(tracker.isTimeout(new DeadlineExceeded())).isTrue();
        assertThat(tracker.isTimeout(new ConnectionTimedOut())).isTrue();
        assertThat(tracker.isTimeout(new TimeoutException())).isTrue();
        assertThat(tracker.timeoutTypes()).isEqualTo(DeadlineExceeded.class.getName() + ", TimedOut");
    }

    @Test
    void badTimeoutTypeIsRejectedWithItsColumnAndTheOldTypesStay() {
        tracker.setTimeoutTypes("TimedOut");

        assertThatThrownBy(() -> tracker.setTimeoutTypes("TimedOut, com.acme.Bad-Name"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("'com.acme.Bad-Name'")
                .satisfies(e -> assertThat(((ChaosConfigException) e).column()).isEqualTo(11));
        assertThatThrownBy(() -> tracker.setTimeoutTypes("TimedOut,,x.Y"))
                .isInstanceOf(ChaosConfigException.class).hasMessageContaining("empty entry");
        assertThat(tracker.isTimeout(new ConnectionTimedOut())).isTrue();
    }

    @Test
    void recordAllocatesNothing() {
        TimeoutTracker.Source source = tracker.source("hot");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) {
            source.record((i & 7) == 0);
        }
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < 1_000_000; i++) {
            source.record((i & 7) == 0);
            if ((i & 0xFFFF) == 0) {
                nanos.addAndGet(SECOND);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(self) - before;

        // a single allocation per call would be at least 16 MB; what remains is the MXBean call itself
        assertThat(allocated).isLessThan(4096);
        assertThat(source.calls()).isEqualTo(1_200_000);
    }

    @Test
    void rateStaysWithinOnePercentagePointOfExactUnderEightThreads() throws Exception {
        TimeoutTracker.Source source = tracker.source("busy");
        int threads = 8;
        long step = SECOND / 4;
        int steps = 600;
        long[] stepCalls = new long[steps];
        long[] stepTimeouts = new long[steps];
        long totalCalls = 0;
        long totalTimeouts = 0;
        double worst = 0;
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "rate-accuracy-" + names.incrementAndGet()));
        try {
            for (int s = 0; s < steps; s++) {
                nanos.set(s * step);
                // the ratio moves every 2 s and the volume every step, so bucket weights matter
                int perThread = 100 + (s % 3) * 150;
                int timeoutPercent = (s / 8 % 5) * 20 + s % 7;
                List<Callable<Void>> batch = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    batch.add(() -> {
                        for (int k = 0; k < perThread; k++) {
                            source.record(k % 100 < timeoutPercent);
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(batch)) {
                    f.get();
                }
                long timeoutsPerThread = (long) (perThread / 100) * timeoutPercent
                        + Math.min(perThread % 100, timeoutPercent);
                stepCalls[s] = (long) threads * perThread;
                stepTimeouts[s] = threads * timeoutsPerThread;
                totalCalls += stepCalls[s];
                totalTimeouts += stepTimeouts[s];

                long now = s * step + (s % 4) * SECOND / 10 + SECOND / 20;
                nanos.set(now);
                long exactCalls = 0;
                long exactTimeouts = 0;
                for (int e = 0; e <= s; e++) {
                    if (e * step > now - 60 * SECOND) {
                        exactCalls += stepCalls[e];
                        exactTimeouts += stepTimeouts[e];
                    }
                }
                double exact = (double) exactTimeouts / exactCalls;
                worst = Math.max(worst, Math.abs(source.rate() - exact));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(source.calls()).isEqualTo(totalCalls);
        assertThat(source.timeouts()).isEqualTo(totalTimeouts);
        assertThat(worst).isLessThan(0.01);
    }

    @Test
    void systemClockTicksOnItsOwnDaemonThread() throws InterruptedException {
        TimeoutClock clock = TimeoutClock.system();
        long first = clock.tick();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.tick() == first && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(clock.tick()).isGreaterThan(first);
        assertThat(Math.abs(clock.nanos() / TimeoutClock.BUCKET_NANOS - clock.tick())).isLessThanOrEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().equals("jchaos-timeout-clock"))
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    }

    static final class QueryTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static final class SubclassOfSocketTimeout extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;
    }

    static final class DeadlineExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static final class ConnectionTimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
