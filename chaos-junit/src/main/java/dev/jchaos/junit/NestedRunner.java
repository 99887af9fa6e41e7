package dev.jchaos.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.jchaos.core.RaceReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Re-runs one test (or one invocation of it, by its unique id) with its whole lifecycle (fresh instance,
 * {@code @BeforeEach}, {@code @AfterEach}) through a nested JUnit Platform launcher: for the minimizer with a
 * candidate configuration in place of the test's own {@code @InjectDelay}s, or for {@link DetectRaces} with threads
 * held at suspect call sites. The nested run's extension reports what it found through {@link #record}; a run in
 * which it never did gives no result, with the reason.
 */
final class NestedRunner implements Minimizer.CandidateRun, RaceRuns.Rerun {

    static final String CANDIDATE = "jchaos.junit.nested.candidate";
    static final String TOKEN = "jchaos.junit.nested.token";
    static final String SEED = "jchaos.junit.nested.seed";
    static final String TARGET = "jchaos.junit.nested.target";
    static final String EARLIER_COUNTED = "jchaos.junit.nested.failOnThreadsFromEarlierTests";
    /** Present in a race re-run: the suspect call sites to hold threads at, one per line. */
    static final String RACE_HOLD_AT = "jchaos.junit.nested.races.holdAt";

    /** Configuration that decides which extensions run and how the test runs; system properties pass anyway. */
    private static final List<String> FORWARDED = List.of(
            "junit.jupiter.extensions.autodetection.enabled",
            "junit.jupiter.extensions.autodetection.include",
            "junit.jupiter.extensions.autodetection.exclude",
            "junit.jupiter.testinstance.lifecycle.default",
            "junit.jupiter.conditions.deactivate",
            "junit.jupiter.execution.timeout.default",
            "junit.jupiter.execution.timeout.mode",
            "junit.jupiter.execution.timeout.thread.mode.default",
            "junit.jupiter.tempdir.cleanup.mode.default",
            "junit.jupiter.extensions.deactivate",
            LeakSettings.IGNORE_THREADS);

    private static final Map<String, Object> RESULTS = new ConcurrentHashMap<>();

    private final String uniqueId;
    private final long seed;
    private final boolean earlierCounted;
    private final Map<String, String> forwarded = new LinkedHashMap<>();

    NestedRunner(ExtensionContext context, long seed, boolean earlierCounted) {
        this.uniqueId = context.getUniqueId();
        this.seed = seed;
        this.earlierCounted = earlierCounted;
        for (String key : FORWARDED) {
            Optional<String> value = context.getConfigurationParameter(key);
            value.ifPresent(v -> forwarded.put(key, v));
        }
    }

    /**
     * Called by the extension inside a nested run, for the selected test or invocation only: whether it leaked
     * ({@code Boolean}), or what its race watch found ({@link RaceReport}).
     */
    static void record(String token, Object result) {
        RESULTS.put(token, result);
    }

    @Override
    public Minimizer.RunResult run(Map<String, String> configuration) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(CANDIDATE, encode(configuration));
        parameters.put(EARLIER_COUNTED, Boolean.toString(earlierCounted));
        Recorded result = execute(parameters);
        if (result.value() instanceof Boolean) {
            return Minimizer.RunResult.of((Boolean) result.value());
        }
        return Minimizer.RunResult.inconclusive(result.whyNone());
    }

    @Override
    public RaceRuns.RunResult run(List<String> holdAt) {
        Recorded result = execute(Map.of(RACE_HOLD_AT, String.join("\n", holdAt)));
        if (result.value() instanceof RaceReport) {
            return RaceRuns.RunResult.of((RaceReport) result.value());
        }
        return RaceRuns.RunResult.none(result.whyNone());
    }

    /** What a nested run recorded, or {@code null} and why it recorded nothing. */
    private record Recorded(Object value, String whyNone) {
    }

    /** Runs the test once with {@code parameters}; what it recorded, else {@code null} and why. */
    private Recorded execute(Map<String, String> parameters) {
        String token = UUID.randomUUID().toString();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(uniqueId))
                .filters(EngineFilter.includeEngines("junit-jupiter"))
                .configurationParameters(forwarded)
                .configurationParameters(parameters)
                .configurationParameter(TOKEN, token)
                .configurationParameter(TARGET, uniqueId)
                .configurationParameter(SEED, Long.toString(seed));
        // no auto-registered listeners: the outer run's reporters must not see these runs
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        Watcher watcher = new Watcher(uniqueId);
        try {
            launcher.execute(request.build(), watcher);
        } catch (RuntimeException | LinkageError e) {
            RESULTS.remove(token);
            return new Recorded(null, "the re-run failed: " + e);
        }
        Object recorded = RESULTS.remove(token);
        return new Recorded(recorded, recorded == null ? watcher.whyNoResult() : null);
    }

    static String encode(Map<String, String> configuration) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : configuration.entrySet()) {
            out.append(out.length() == 0 ? "" : "\n").append(entry.getKey()).append('=').append(entry.getValue());
        }
        return out.toString();
    }

    /** What happened to the selected test in a nested run, to say why it gave no result. */
    private static final class Watcher implements TestExecutionListener {

        private final String target;
        private volatile String skipped;
        private volatile boolean started;
        private volatile TestExecutionResult finished;

        Watcher(String target) {
            this.target = target;
        }

        @Override
        public void executionSkipped(TestIdentifier identifier, String reason) {
            if (identifier.getUniqueId().equals(target)) {
                skipped = reason;
            }
        }

        @Override
        public void executionStarted(TestIdentifier identifier) {
            if (identifier.getUniqueId().equals(target)) {
                started = true;
            }
        }

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            if (identifier.getUniqueId().equals(target)) {
                finished = result;
            }
        }

        String whyNoResult() {
            if (skipped != null) {
                return "the test was skipped: " + skipped;
            }
            if (!started) {
                return "the test was not found by its unique id " + target;
            }
            if (finished == null) {
                return "the test never finished";
            }
            String thrown = finished.getThrowable().map(t -> ": " + t).orElse("");
            return "the test ended " + finished.getStatus() + " before its check" + thrown;
        }
    }
}
