package dev.jchaos.junit;

import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * TSVD's loop over runs of one test: the first run learns near misses; while a run found suspect call sites and no
 * violation, the test runs again holding threads at them, up to {@link Settings#runs()} runs in all.
 */
final class RaceRuns {

    /** Longest hold accepted: a test held for minutes is a typo, not a setting. */
    static final long MAX_DELAY_MS = 60_000;

    /**
     * One test's {@link DetectRaces}, validated.
     *
     * @param classGlobs the classes whose call sites are watched
     * @param delayMs    how long a thread is held at a suspect call site
     * @param runs       runs of the test at most
     */
    record Settings(List<String> classGlobs, long delayMs, int runs) {

        Settings {
            classGlobs = List.copyOf(classGlobs);
        }

        static Settings of(DetectRaces declared, Class<?> testClass, String where) {
            if (declared.delayMs() < 1 || declared.delayMs() > MAX_DELAY_MS) {
                throw new ExtensionConfigurationException("@DetectRaces(delayMs) must be between 1 and "
                        + MAX_DELAY_MS + " but was " + declared.delayMs() + where);
            }
            if (declared.runs() < 1) {
                throw new ExtensionConfigurationException("@DetectRaces(runs) must be at least 1 but was "
                        + declared.runs() + where);
            }
            List<String> globs = new ArrayList<>();
            for (String glob : declared.packages()) {
                if (glob == null || glob.isBlank()) {
                    throw new ExtensionConfigurationException("@DetectRaces(packages) has an empty glob" + where);
                }
                globs.add(glob.strip());
            }
            if (globs.isEmpty()) {
                String pkg = testClass.getPackageName();
                if (pkg.isEmpty()) {
                    throw new ExtensionConfigurationException("@DetectRaces on a test class in the default package "
                            + "must name the classes to watch, such as @DetectRaces(packages = \"Cache*\")" + where);
                }
                globs.add(pkg + ".*");
            }
            return new Settings(globs, declared.delayMs(), declared.runs());
        }

        static Settings of(ExtensionContext context, DetectRaces declared) {
            return of(declared, context.getRequiredTestClass(), " (on " + ChaosExtension.testName(context) + ")");
        }
    }

    /** What a re-run told: its report, or why it gave none. */
    record RunResult(RaceReport report, String reason) {

        static RunResult of(RaceReport report) {
            return new RunResult(report, null);
        }

        static RunResult none(String reason) {
            return new RunResult(null, reason);
        }
    }

    /** Runs the test once more with threads held at {@code holdAt}. */
    @FunctionalInterface
    interface Rerun {
        RunResult run(List<String> holdAt);
    }

    /**
     * Where the loop ended.
     *
     * @param violations     what was found, empty when nothing was
     * @param run            the run that found them, else the last run made
     * @param suspects       near misses of the last run that no run exposed
     * @param stoppedBecause why the loop stopped before its last run without a result, or {@code null}
     */
    record Outcome(List<RaceViolation> violations, int run, List<String> suspects, String stoppedBecause) {
    }

    private RaceRuns() {
    }

    /**
     * Follows the first run's report.
     *
     * @param canRerun {@code null} when the test can be re-run, else why not
     */
    static Outcome follow(String testName, Settings settings, RaceReport first, Rerun rerun, String canRerun,
                          Consumer<String> progress) {
        RaceReport report = first;
        int run = 1;
        while (report.violations().isEmpty() && !report.suspects().isEmpty() && run < settings.runs()) {
            if (canRerun != null) {
                return new Outcome(List.of(), run, report.suspects(), canRerun);
            }
            progress.accept("[jchaos] " + testName + ": race run " + run + " of " + settings.runs() + ": "
                    + plural(report.suspects().size(), "suspect call site") + ", no violation; running again with "
                    + "threads held there for " + settings.delayMs() + "ms");
            RunResult next = rerun.run(report.suspects());
            if (next.report() == null) {
                // one retry: a re-run can fail for reasons of its own, such as a timeout under load
                next = rerun.run(report.suspects());
            }
            run++;
            if (next.report() == null) {
                return new Outcome(List.of(), run, report.suspects(), "race run " + run + " gave no result: "
                        + next.reason());
            }
            report = next.report();
        }
        if (run > 1) {
            progress.accept("[jchaos] " + testName + ": race run " + run + " of " + settings.runs() + ": "
                    + (report.violations().isEmpty() ? "no violation" + (report.suspects().isEmpty() ? ""
                    : ", " + plural(report.suspects().size(), "suspect call site") + " never overlapped")
                    : plural(report.violations().size(), "thread-safety violation")));
        }
        return new Outcome(report.violations(), run, report.suspects(), null);
    }

    /** The report of the contract, for an outcome with violations. */
    static String render(String testName, Settings settings, Outcome outcome, long seed) {
        List<RaceViolation> violations = outcome.violations();
        StringBuilder out = new StringBuilder();
        out.append(plural(violations.size(), "thread-safety violation")).append(" in ").append(testName)
                .append(":\n");
        Set<String> held = new LinkedHashSet<>();
        for (RaceViolation violation : violations) {
            out.append(violation.describe());
            held.add(violation.held().site());
        }
        out.append("Exposed in run ").append(outcome.run()).append(" of ").append(settings.runs())
                .append(" by holding ").append(String.join(", ", held)).append(" for ").append(settings.delayMs())
                .append("ms\n");
        out.append(ChaosExtension.replay(seed)).append('\n');
        return out.toString();
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
