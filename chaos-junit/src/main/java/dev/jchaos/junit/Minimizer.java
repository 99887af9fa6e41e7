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
 * when any of its attempts leaks, and a bisected delay only when every attempt leaks (a threshold the user can rely
 * on); results are cached per configuration. A run that produced no result is
 * inconclusive: it is retried once, and a candidate without any result is never taken for clean.
 */
final class Minimizer {

    /** What one run of the test told. */
    enum Outcome {
        LEAKED, CLEAN, INCONCLUSIVE
    }

    /**
     * @param outcome what the run told
     * @param reason  why it was inconclusive, or {@code null}
     */
    record RunResult(Outcome outcome, String reason) {

        static RunResult of(boolean leaked) {
            return new RunResult(leaked ? Outcome.LEAKED : Outcome.CLEAN, null);
        }

        static RunResult inconclusive(String reason) {
            return new RunResult(Outcome.INCONCLUSIVE, reason);
        }
    }

    /** Runs the test once with exactly {@code configuration} (point id to actions) active. */
    @FunctionalInterface
    interface CandidateRun {
        RunResult run(Map<String, String> configuration);
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
     * @param thresholdsMs       per point of {@code minimal}, the smallest delay found to leak in every attempt
     * @param complete           {@code false} when the search stopped early: {@code minimal} is the best so far
     * @param stoppedBecause     why the search stopped early, or {@code null}
     * @param leaksWithoutPoints the test leaks with no point active at all
     * @param inconclusive       candidates no run gave a result for, each with the reason
     * @param runs               candidate runs spent on the search
     */
    record Result(Map<String, String> minimal, Map<String, Long> thresholdsMs, boolean complete,
                  String stoppedBecause, boolean leaksWithoutPoints, List<String> inconclusive, int runs) {
    }

    /**
     * @param leaked       attempts that leaked
     * @param clean        attempts that did not
     * @param inconclusive attempts without a result, even after a retry
     * @param reason       the last reason a run was inconclusive, or {@code null}
     */
    record Confirmation(int leaked, int clean, int inconclusive, String reason) {
    }

    /** Runs without a result (never selected, crashed, never recorded) are retried this many times. */
    static final int RETRIES = 1;
    /** With this many inconclusive runs and not one result, the test cannot be re-run: the search stops. */
    private static final int HOPELESS = 3;

    private static final Pattern SINGLE_DELAY = Pattern.compile(
            "((?:[0-9.]+%)?(?:[0-9]+\\*)?)delay\\(\\s*([0-9.]+)\\s*(ns|us|ms|s|m)?\\s*"
                    + "(?:\\.\\.\\s*([0-9.]+)\\s*(ns|us|ms|s|m)?\\s*)?\\)");

    private final CandidateRun run;
    private final Settings settings;
    private final Consumer<String> progress;
    private final LongSupplier nanoClock;
    private final Map<Map<String, String>, Outcome> cache = new HashMap<>();
    /** Per configuration, whether every attempt leaked (for thresholds). */
    private final Map<Map<String, String>, Outcome> dependable = new HashMap<>();
    private final List<String> inconclusive = new ArrayList<>();
    private final long startNanos;
    private int runs;
    private int conclusiveRuns;
    private int inconclusiveRuns;
    /** Why the current candidate's last run gave no result, or {@code null}. */
    private String lastInconclusive;

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

    /** Runs spent so far, including confirmation runs and retries. */
    int runs() {
        return runs;
    }

    /** Searches the minimal failing configuration of {@code active}, which leaked (point id to actions). */
    Result minimize(Map<String, String> active) {
        List<String> ids = new ArrayList<>(active.keySet());
        try {
            if (leaks(Map.of())) {
                return new Result(Map.of(), Map.of(), true, null, true, List.copyOf(inconclusive), runs);
            }
        } catch (DeltaDebugging.BudgetExhausted e) {
            return new Result(new LinkedHashMap<>(active), Map.of(), false, e.getMessage(), false,
                    List.copyOf(inconclusive), runs);
        }
        DeltaDebugging.Result<String> found = DeltaDebugging.ddmin(ids, subset -> leaks(select(active, subset)));
        Map<String, String> minimal = select(active, found.minimal());
        Map<String, Long> thresholds = new LinkedHashMap<>();
        boolean complete = found.complete();
        String stopped = found.stoppedBecause();
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
                stopped = e.getMessage();
            }
        }
        return new Result(minimal, thresholds, complete, stopped, false, List.copyOf(inconclusive), runs);
    }

    /** Runs {@code configuration} exactly {@code attempts} times, uncached, retrying runs without a result. */
    Confirmation confirm(Map<String, String> configuration) {
        int leaked = 0;
        int clean = 0;
        int none = 0;
        String reason = null;
        for (int i = 0; i < settings.attempts(); i++) {
            RunResult result = runWithRetry(configuration, false);
            switch (result.outcome()) {
                case LEAKED:
                    leaked++;
                    break;
                case CLEAN:
                    clean++;
                    break;
                default:
                    none++;
                    reason = result.reason();
            }
        }
        return new Confirmation(leaked, clean, none, reason);
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
        // ddmin found not to leak; a probe leaks only when every attempt does, and a probe without a result keeps
        // the higher bound, which is known to leak
        while (hi - lo > Math.max(5, hi / 10)) {
            long mid = (lo + hi) / 2;
            Map<String, String> probe = new LinkedHashMap<>(minimal);
            probe.put(id, prefix + "delay(" + mid + "ms)");
            if (leaksEveryAttempt(probe)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** Whether {@code configuration} leaked in any attempt; a candidate without any result does not count. */
    private boolean leaks(Map<String, String> configuration) {
        return leaks(configuration, false);
    }

    /**
     * Whether {@code configuration} leaked in every attempt. A delay threshold is where the leak is dependable: one
     * run that a loaded machine pushed past a deadline says little about a delay, and would report it too low.
     */
    private boolean leaksEveryAttempt(Map<String, String> configuration) {
        return leaks(configuration, true);
    }

    private boolean leaks(Map<String, String> configuration, boolean everyAttempt) {
        Map<String, String> key = new TreeMap<>(configuration);
        Map<Map<String, String>, Outcome> results = everyAttempt ? dependable : cache;
        Outcome known = results.get(key);
        if (known != null) {
            return known == Outcome.LEAKED;
        }
        lastInconclusive = null;
        Outcome outcome = everyAttempt ? Outcome.LEAKED : Outcome.CLEAN;
        String reason = null;
        try {
            for (int i = 0; i < settings.attempts(); i++) {
                checkBudget();
                RunResult result = runWithRetry(configuration, true);
                if (result.outcome() == (everyAttempt ? Outcome.CLEAN : Outcome.LEAKED)) {
                    outcome = result.outcome();
                    break;
                }
                if (result.outcome() == Outcome.INCONCLUSIVE) {
                    outcome = Outcome.INCONCLUSIVE;
                    reason = result.reason();
                }
            }
        } catch (DeltaDebugging.BudgetExhausted stop) {
            if (lastInconclusive != null) {
                inconclusive.add(describe(configuration) + " (" + lastInconclusive + ")");
            }
            throw stop;
        }
        results.put(key, outcome);
        if (outcome == Outcome.INCONCLUSIVE) {
            inconclusive.add(describe(configuration) + " (" + reason + ")");
        }
        return outcome == Outcome.LEAKED;
    }

    /** One attempt, retried while it gives no result; during the search the budget and hope are checked. */
    private RunResult runWithRetry(Map<String, String> configuration, boolean searching) {
        RunResult result = runOnce(configuration, false);
        for (int retry = 0; retry < RETRIES && result.outcome() == Outcome.INCONCLUSIVE; retry++) {
            if (searching) {
                checkHope(result.reason());
                checkBudget();
            }
            result = runOnce(configuration, true);
        }
        if (searching && result.outcome() == Outcome.INCONCLUSIVE) {
            checkHope(result.reason());
        }
        return result;
    }

    private RunResult runOnce(Map<String, String> configuration, boolean retry) {
        runs++;
        long t0 = nanoClock.getAsLong();
        RunResult result = run.run(configuration);
        long ms = (nanoClock.getAsLong() - t0) / 1_000_000;
        String told;
        if (result.outcome() == Outcome.INCONCLUSIVE) {
            inconclusiveRuns++;
            lastInconclusive = result.reason();
            told = "inconclusive: " + result.reason();
        } else {
            conclusiveRuns++;
            told = result.outcome() == Outcome.LEAKED ? "leaked" : "clean";
        }
        progress.accept("[jchaos] minimize run " + runs + (retry ? " (retry)" : "") + ": " + describe(configuration)
                + " -> " + told + " (" + ms + " ms)");
        return result;
    }

    private void checkHope(String reason) {
        if (conclusiveRuns == 0 && inconclusiveRuns >= HOPELESS) {
            throw new DeltaDebugging.BudgetExhausted("no run of the test gave a result (" + reason + ")");
        }
    }

    private void checkBudget() {
        if (runs >= settings.maxRuns() || nanoClock.getAsLong() - startNanos >= settings.maxTime().toNanos()) {
            throw new DeltaDebugging.BudgetExhausted("search budget of " + settings.maxRuns() + " runs / "
                    + settings.maxTime().toSeconds() + " s spent");
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
