package dev.jchaos.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentilesUseTheNearestRank() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        assertThat(Stats.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Stats.percentile(sorted, 90)).isEqualTo(90);
        assertThat(Stats.percentile(sorted, 99)).isEqualTo(100);
        assertThat(Stats.percentile(sorted, 0)).isEqualTo(10);
    }

    @Test
    void medianSortsAndLeavesItsInputAlone() {
        long[] values = {5, 1, 3};

        assertThat(Stats.median(values)).isEqualTo(3);
        assertThat(values).containsExactly(5, 1, 3);
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Stats.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void microsHaveOneDecimal() {
        assertThat(Stats.micros(1_234_567)).isEqualTo("1234.6");
    }
}
