package dev.jchaos.core.internal.races;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RaceClockTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * On a saturated machine the clock's thread can go unscheduled for longer than a near miss's window. A call that
     * read the clock just before that thread woke and a call just after it must still read close, or their near miss
     * is lost: the clock counts at most one step per tick and runs slow instead of jumping.
     */
    @Test
    void aStarvedClockThreadDoesNotPutTwoCallsAMomentApartAWindowApart() {
        List<Long> ticks = new ArrayList<>();
        RaceClock clock = new RaceClock(ticks::add, false);
        long real = System.nanoTime();
        clock.advance(real += 2 * MS);
        clock.advance(real += 2 * MS);
        long before = clock.millis;
        clock.advance(real += 150 * MS); // the clock thread was not scheduled for 150 ms
        long after = clock.millis;
        assertThat(before).isEqualTo(4);
        assertThat(after - before).isLessThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(RaceClock.MAX_STEP_NANOS));
        clock.advance(real += 2 * MS);
        assertThat(clock.millis).as("and counts on at the real pace from there").isEqualTo(after + 2);
        assertThat(ticks).containsExactly(2L, 4L, after, after + 2);
    }
}
