package dev.jchaos.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Re-runs one test with its whole lifecycle (fresh instance, {@code @BeforeEach}, {@code @AfterEach}) through a
 * nested JUnit Platform launcher, with a candidate configuration in place of the test's own {@code @InjectDelay}s.
 * The nested run's extension reports whether it leaked through {@link #record}.
 */
final class NestedRunner implements Minimizer.CandidateRun {

    static final String CANDIDATE = "jchaos.junit.nested.candidate";
    static final String TOKEN = "jchaos.junit.nested.token";
    static final String SEED = "jchaos.junit.nested.seed";
    private static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private static final Map<String, Boolean> RESULTS = new ConcurrentHashMap<>();

    private final String uniqueId;
    private final long seed;
    private final String autodetection;

    NestedRunner(ExtensionContext context, long seed) {
        this.uniqueId = context.getUniqueId();
        this.seed = seed;
        this.autodetection = context.getConfigurationParameter(AUTODETECTION).orElse(null);
    }

    /** Called by the extension inside a nested run. */
    static void record(String token, boolean leaked) {
        RESULTS.put(token, leaked);
    }

    @Override
    public boolean leaked(Map<String, String> configuration) {
        String token = UUID.randomUUID().toString();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(uniqueId))
                .filters(EngineFilter.includeEngines("junit-jupiter"))
                .configurationParameter(CANDIDATE, encode(configuration))
                .configurationParameter(TOKEN, token)
                .configurationParameter(SEED, Long.toString(seed));
        if (autodetection != null) {
            request.configurationParameter(AUTODETECTION, autodetection);
        }
        LauncherDiscoveryRequest built = request.build();
        // no auto-registered listeners: the outer run's reporters must not see these runs
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        launcher.execute(built);
        Boolean leaked = RESULTS.remove(token);
        return leaked != null && leaked;
    }

    static String encode(Map<String, String> configuration) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : configuration.entrySet()) {
            out.append(out.length() == 0 ? "" : "\n").append(entry.getKey()).append('=').append(entry.getValue());
        }
        return out.toString();
    }
}
