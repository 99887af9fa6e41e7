package dev.jchaos.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the smallest set of active points (and the smallest delays) with which a test still leaks, by running
 * candidate configurations through a {@link CandidateRun}. Leaks depend on timing, so a candidate counts as leaking
 * when any of its attempts leaks; results are cached per configuration.
 */
final class Minimizer {

    /** Runs the test once with exactly {@code configuration} (point id to actions) active. */
    @FunctionalInterface
    interface CandidateRun {
        boolean leaked(Map<String, String> configuration);
    }

    /**
     * @param attempts     runs per candidate
     * @param shrinkDelays whether to bisect delays after the set is minimal
     * @param maxRuns      budget of candidate runs
     * @param maxTime      budget of wall time
     */
    record Settings(int attempts, boolean shrinkDelays, int maxRuns, Duration maxTime) {
    }

    /**
     * @param minimal            the minimal failing configuration, point id to its original actions
     * @param thresholdsMs       per point of {@code minimal}, the smallest delay found to leak
     * @param complete           {@code false} when the budget ran out: {@code minimal} is the best so far
     * @param leaksWithoutPoints the test leaks with no point active at all
     * @param runs               candidate runs spent on the search
     */
    record Result(Map<String, String> minimal, Map<String, Long> thresholdsMs, boolean complete,
                  boolean leaksWithoutPoints, int runs) {
    }

    private static final Pattern SINGLE_DELAY = Pattern.compile(
            "((?:[0-9.]+%)?(?:[0-9]+\\*)?)delay\\(\\s*([0-9.]+)\\s*(ns|us|ms|s|m)?\\s*"
                    + "(?:\\.\\.\\s*([0-9.]+)\\s*(ns|us|ms|s|m)?\\s*)?\\)");

    private final CandidateRun run;
    private final Settings settings;
    private final Consumer<String> progress;
    private final LongSupplier nanoClock;
    private final Map<Map<String, String>, Boolean> cache = new HashMap<>();
    private final long startNanos;
    private int runs;

    Minimizer(CandidateRun run, Settings settings, Consumer<String> progress, LongSupplier nanoClock) {
        if (settings.attempts() < 1) {
            throw new IllegalArgumentException("@DetectThreadLeaks(attempts) must be at least 1 but was "
                    + settings.attempts());
        }
        this.run = run;
        this.settings = settings;
        this.progress = progress;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Runs spent so far, including confirmation runs. */
    int runs() {
        return runs;
    }

    /** Searches the minimal failing configuration of {@code active}, which leaked (point id to actions). */
    Result minimize(Map<String, String> active) {
        List<String> ids = new ArrayList<>(active.keySet());
        try {
            if (leaks(Map.of())) {
                return new Result(Map.of(), Map.of(), true, true, runs);
            }
        } catch (DeltaDebugging.BudgetExhausted e) {
            return new Result(new LinkedHashMap<>(active), Map.of(), false, false, runs);
        }
        DeltaDebugging.Result<String> found = DeltaDebugging.ddmin(ids, subset -> leaks(select(active, subset)));
        Map<String, String> minimal = select(active, found.minimal());
        Map<String, Long> thresholds = new LinkedHashMap<>();
        boolean complete = found.complete();
        if (complete && settings.shrinkDelays()) {
            try {
                for (String id : minimal.keySet()) {
                    Long threshold = bisect(minimal, id);
                    if (threshold != null) {
                        thresholds.put(id, threshold);
                    }
                }
            } catch (DeltaDebugging.BudgetExhausted e) {
                complete = false;
            }
        }
        return new Result(minimal, thresholds, complete, false, runs);
    }

    /** Runs {@code configuration} exactly {@code attempts} times, uncached; returns how many runs leaked. */
    int confirm(Map<String, String> configuration) {
        int leaked = 0;
        for (int i = 0; i < settings.attempts(); i++) {
            if (runOnce(configuration)) {
                leaked++;
            }
        }
        return leaked;
    }

    private Long bisect(Map<String, String> minimal, String id) {
        String actions = minimal.get(id);
        Matcher m = SINGLE_DELAY.matcher(actions.trim());
        if (!m.matches()) {
            return null; // only a plain delay term has a delay to shrink
        }
        String prefix = m.group(1);
        long upper = m.group(4) != null ? toMillis(m.group(4), m.group(5)) : toMillis(m.group(2), m.group(3));
        long lo = 0;
        long hi = upper;
        // the minimal set leaks with `upper`; lowering the delay to 0 is (next to) removing the point, which
        // ddmin found not to leak
        while (hi - lo > Math.max(5, hi / 10)) {
            long mid = (lo + hi) / 2;
            Map<String, String> probe = new LinkedHashMap<>(minimal);
            probe.put(id, prefix + "delay(" + mid + "ms)");
            if (leaks(probe)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private boolean leaks(Map<String, String> configuration) {
        Map<String, String> key = new TreeMap<>(configuration);
        Boolean known = cache.get(key);
        if (known != null) {
            return known;
        }
        boolean leaked = false;
        for (int i = 0; i < settings.attempts() && !leaked; i++) {
            checkBudget();
            leaked = runOnce(configuration);
        }
        cache.put(key, leaked);
        return leaked;
    }

    private boolean runOnce(Map<String, String> configuration) {
        runs++;
        long t0 = nanoClock.getAsLong();
        boolean leaked = run.leaked(configuration);
        long ms = (nanoClock.getAsLong() - t0) / 1_000_000;
        progress.accept("[jchaos] minimize run " + runs + ": " + describe(configuration) + " -> "
                + (leaked ? "leaked" : "clean") + " (" + ms + " ms)");
        return leaked;
    }

    private void checkBudget() {
        if (runs >= settings.maxRuns()) {
            throw new DeltaDebugging.BudgetExhausted("run budget of " + settings.maxRuns() + " spent");
        }
        if (nanoClock.getAsLong() - startNanos >= settings.maxTime().toNanos()) {
            throw new DeltaDebugging.BudgetExhausted("time budget of " + settings.maxTime().toSeconds()
                    + " s spent");
        }
    }

    static String describe(Map<String, String> configuration) {
        if (configuration.isEmpty()) {
            return "(no points)";
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : configuration.entrySet()) {
            out.append(out.length() == 0 ? "" : ";").append(entry.getKey()).append('=').append(entry.getValue());
        }
        return out.toString();
    }

    private static Map<String, String> select(Map<String, String> active, List<String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, active.get(id));
        }
        return out;
    }

    static long toMillis(String number, String unit) {
        double value = Double.parseDouble(number);
        String u = unit == null ? "ms" : unit;
        switch (u) {
            case "ns":
                return Math.round(value / 1_000_000);
            case "us":
                return Math.round(value / 1_000);
            case "s":
                return Math.round(value * 1_000);
            case "m":
                return Math.round(value * 60_000);
            default:
                return Math.round(value);
        }
    }
}
