package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeltaDebuggingTests {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void findsOneCulpritAmongSixteenInAtMostEightTests() {
        for (int culprit = 0; culprit < 16; culprit++) {
            int c = culprit;
            AtomicInteger tests = new AtomicInteger();
            DeltaDebugging.Result<Integer> result = DeltaDebugging.ddmin(range(16), subset -> {
                tests.incrementAndGet();
                return subset.contains(c);
            });
            assertThat(result.minimal()).containsExactly(culprit);
            assertThat(result.complete()).isTrue();
            assertThat(tests.get()).as("tests for culprit %d", culprit).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void keepsTwoElementsThatOnlyFailTogether() {
        DeltaDebugging.Result<Integer> result = DeltaDebugging.ddmin(range(5),
                subset -> subset.contains(1) && subset.contains(3));
        assertThat(result.minimal()).containsExactly(1, 3);
    }

    @Test
    void keepsEverythingWhenEveryElementIsNeeded() {
        DeltaDebugging.Result<Integer> result = DeltaDebugging.ddmin(range(4), subset -> subset.size() == 4);
        assertThat(result.minimal()).containsExactly(0, 1, 2, 3);
        assertThat(result.complete()).isTrue();
    }

    @Test
    void returnsBestSoFarWhenTheBudgetRunsOut() {
        List<List<Integer>> tested = new ArrayList<>();
        DeltaDebugging.Result<Integer> result = DeltaDebugging.ddmin(range(16), subset -> {
            if (tested.size() == 3) {
                throw new DeltaDebugging.BudgetExhausted("test budget");
            }
            tested.add(subset);
            return subset.contains(13);
        });
        assertThat(result.complete()).isFalse();
        assertThat(result.minimal()).contains(13).hasSizeLessThan(16).hasSizeGreaterThan(1);
    }

    @Test
    void splitsIntoBalancedPartsInOrder() {
        assertThat(DeltaDebugging.split(range(5), 2)).containsExactly(List.of(0, 1), List.of(2, 3, 4));
        assertThat(DeltaDebugging.split(range(4), 4)).containsExactly(List.of(0), List.of(1), List.of(2), List.of(3));
    }
}
