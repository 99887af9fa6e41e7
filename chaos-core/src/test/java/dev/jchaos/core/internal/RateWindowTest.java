package dev.jchaos.core.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateWindowTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void rateIsTimeoutsOverCallsInsideTheWindow() {
        RateWindow window = new RateWindow();
        record(window, 0, 30, 10);
        record(window, 5, 70, 15);

        assertThat(window.rate(10 * SECOND)).isCloseTo(25.0 / 100, within(1e-9));
        assertThat(window.calls()).isEqualTo(100);
        assertThat(window.timeouts()).isEqualTo(25);
    }

    @Test
    void rateIsZeroWithoutCalls() {
        assertThat(new RateWindow().rate(42 * SECOND)).isZero();
    }

    @Test
    void bucketsOlderThanSixtySecondsExpire() {
        RateWindow window = new RateWindow();
        record(window, 0, 10, 10);
        record(window, 30, 10, 0);

        assertThat(window.rate(59 * SECOND)).isCloseTo(0.5, within(1e-9));
        assertThat(window.rate(61 * SECOND)).isZero();
        assertThat(window.rate(91 * SECOND)).isZero();
        assertThat(window.calls()).isEqualTo(20);
    }

    @Test
    void oldestBucketIsWeighedByItsPartStillInsideTheWindow() {
        RateWindow window = new RateWindow();
        record(window, 0, 100, 100);
        record(window, 1, 100, 0);

        // at 60.25 s the window starts at 0.25 s: three quarters of bucket 0 is inside
        assertThat(window.rate(60 * SECOND + SECOND / 4)).isCloseTo(75.0 / 175, within(1e-9));
    }

    @Test
    void reusedSlotForgetsItsOldBucketButTotalsKeepIt() {
        RateWindow window = new RateWindow();
        record(window, 3, 40, 40);
        // bucket 67 maps to the same slot as bucket 3
        record(window, 67, 10, 1);

        assertThat(window.rate(67 * SECOND)).isCloseTo(0.1, within(1e-9));
        assertThat(window.calls()).isEqualTo(50);
        assertThat(window.timeouts()).isEqualTo(41);
    }

    @Test
    void callFromAStaleTickCountsInTheNewerBucket() {
        RateWindow window = new RateWindow();
        record(window, 70, 5, 0);
        // a writer that read bucket 6 before the slot moved on to bucket 70
        window.record(6, true);

        assertThat(window.calls()).isEqualTo(6);
        assertThat(window.rate(70 * SECOND)).isCloseTo(1.0 / 6, within(1e-9));
    }

    private static void record(RateWindow window, long tick, int calls, int timeouts) {
        for (int i = 0; i < calls; i++) {
            window.record(tick, i < timeouts);
        }
    }
}
