package dev.jchaos.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Zeller's ddmin: shrinks a failing input to a 1-minimal one (removing any single element makes it pass), testing
 * subsets first, then complements, at ever finer granularity.
 */
final class DeltaDebugging {

    private DeltaDebugging() {
    }

    /** Thrown by a test predicate when no more runs may be spent; ddmin then returns the best input so far. */
    static final class BudgetExhausted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BudgetExhausted(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * @param minimal        the smallest failing input found
     * @param complete       {@code false} when the budget ran out before the search ended
     * @param stoppedBecause why the search stopped early, or {@code null}
     */
    record Result<T>(List<T> minimal, boolean complete, String stoppedBecause) {
    }

    /**
     * Shrinks {@code failing}, which is assumed to fail, keeping element order.
     *
     * @param fails whether a candidate fails; may throw {@link BudgetExhausted}
     */
    static <T> Result<T> ddmin(List<T> failing, Predicate<List<T>> fails) {
        List<T> current = List.copyOf(failing);
        int granularity = 2;
        try {
            while (current.size() >= 2) {
                List<List<T>> parts = split(current, granularity);
                List<T> smaller = null;
                for (List<T> part : parts) {
                    if (fails.test(part)) {
                        smaller = part;
                        break;
                    }
                }
                if (smaller != null) {
                    current = smaller;
                    granularity = 2;
                    continue;
                }
                // with two parts each complement is the other part, already tested
                if (granularity > 2) {
                    for (int i = 0; i < parts.size() && smaller == null; i++) {
                        List<T> complement = complement(parts, i);
                        if (fails.test(complement)) {
                            smaller = complement;
                        }
                    }
                    if (smaller != null) {
                        current = smaller;
                        granularity = Math.max(granularity - 1, 2);
                        continue;
                    }
                }
                if (granularity >= current.size()) {
                    break;
                }
                granularity = Math.min(granularity * 2, current.size());
            }
            return new Result<>(current, true, null);
        } catch (BudgetExhausted e) {
            return new Result<>(current, false, e.getMessage());
        }
    }

    static <T> List<List<T>> split(List<T> input, int parts) {
        List<List<T>> out = new ArrayList<>(parts);
        int start = 0;
        for (int i = 0; i < parts; i++) {
            int end = start + (input.size() - start) / (parts - i);
            out.add(List.copyOf(input.subList(start, end)));
            start = end;
        }
        return out;
    }

    private static <T> List<T> complement(List<List<T>> parts, int without) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i != without) {
                out.addAll(parts.get(i));
            }
        }
        return out;
    }
}
