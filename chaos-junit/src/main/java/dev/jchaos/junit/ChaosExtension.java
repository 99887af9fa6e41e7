package dev.jchaos.junit;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The jchaos JUnit Jupiter extension behind {@link ChaosTest} and {@link DetectThreadLeaks}; also registered for
 * auto-detection. It is public only because {@code ServiceLoader} requires it; use the annotations.
 */
public final class ChaosExtension implements BeforeEachCallback, AfterEachCallback {

    /** Leak-checks every test the extension runs on, such as a whole suite under auto-detection. */
    static final String DETECT_ALL = "jchaos.junit.detectThreadLeaks";
    static final String MAX_RUNS = "jchaos.junit.minimize.maxRuns";
    static final String MAX_SECONDS = "jchaos.junit.minimize.maxSeconds";
    static final int DEFAULT_MAX_RUNS = 100;
    static final int DEFAULT_MAX_SECONDS = 100;
    private static final long INTERRUPT_WAIT_MS = 1000;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChaosExtension.class);
    private static final String RUN = "run";

    private static RuntimeException agentFailure;

    /** Carries the defaults of {@link DetectThreadLeaks} for suites that leak-check by configuration. */
    @DetectThreadLeaks
    private static final class Defaults {
    }

    /** Creates the extension; JUnit does this. */
    public ChaosExtension() {
    }

    /** What a test started with, kept until it ends. */
    private static final class TestRun {
        DetectThreadLeaks leakSettings;
        ThreadCensus census;
        ThreadCensus.Baseline baseline;
        final List<DelayActivation> activated = new ArrayList<>();
        Long seed;
        boolean wasEnabled;
        String nestedToken;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        TestRun run = new TestRun();
        Optional<String> candidate = context.getConfigurationParameter(NestedRunner.CANDIDATE);
        run.nestedToken = context.getConfigurationParameter(NestedRunner.TOKEN).orElse(null);
        run.leakSettings = leakSettings(context, run.nestedToken != null);
        List<DelayActivation> wanted = candidate.isPresent() ? decode(candidate.get()) : activations(context);
        if (run.leakSettings != null) {
            validate(run.leakSettings, context);
            checkIsolation(context);
            run.census = new ThreadCensus(List.of(run.leakSettings.ignoreThreads()));
            if (run.nestedToken == null) {
                CreationSites.start();
            }
        }
        if (!wanted.isEmpty() || candidate.isPresent()) {
            installAgent();
            run.seed = seed(context);
        }
        // the baseline comes after jchaos's own start-up so nothing of it is blamed on the test
        if (run.leakSettings != null) {
            run.baseline = ThreadCensus.baseline();
        }
        context.getStore(NAMESPACE).put(RUN, run);
        if (run.seed != null) {
            activate(run, wanted);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        TestRun run = context.getStore(NAMESPACE).remove(RUN, TestRun.class);
        if (run == null) {
            return;
        }
        Map<String, String> activePoints = Map.of();
        if (run.seed != null) {
            try {
                activePoints = activePoints();
            } finally {
                deactivate(run);
            }
            if (context.getExecutionException().isPresent() && run.nestedToken == null) {
                System.err.println("[jchaos] " + testName(context) + " failed with delay points active; "
                        + replay(run.seed));
            }
        }
        if (run.leakSettings == null) {
            return;
        }
        ThreadCensus.Leak leak = run.census.leaksSince(run.baseline, run.leakSettings.lingerMs());
        if (run.nestedToken != null) {
            if (!leak.isEmpty()) {
                ThreadCensus.interrupt(leak, INTERRUPT_WAIT_MS);
            }
            NestedRunner.record(run.nestedToken, !leak.isEmpty());
            if (!leak.isEmpty()) {
                throw new ThreadLeakError(leak.threads().size() + " threads leaked (minimization run)",
                        leak.threads().size());
            }
            return;
        }
        if (leak.isEmpty()) {
            return;
        }
        List<LeakedThread> leaked = withStartSites(leak.threads());
        List<LeakedThread> zombies = ThreadCensus.interrupt(leak, INTERRUPT_WAIT_MS);
        Path reportFile = reportFile(context, ".txt");
        StringBuilder report = new StringBuilder(LeakReport.render(testName(context), leaked, zombies));
        if (run.seed != null && !activePoints.isEmpty() && run.leakSettings.minimize()) {
            report.append(minimize(context, run, activePoints));
        } else if (run.seed != null) {
            report.append(replay(run.seed)).append('\n');
        }
        report.append("Report: ").append(reportFile).append('\n');
        String text = report.toString();
        write(reportFile, text);
        throw new ThreadLeakError(text, leaked.size());
    }

    private String minimize(ExtensionContext context, TestRun run, Map<String, String> activePoints) {
        int maxRuns = intParameter(context, MAX_RUNS, DEFAULT_MAX_RUNS);
        int maxSeconds = intParameter(context, MAX_SECONDS, DEFAULT_MAX_SECONDS);
        Minimizer.Settings settings = new Minimizer.Settings(run.leakSettings.attempts(),
                run.leakSettings.shrinkDelays(), maxRuns, Duration.ofSeconds(maxSeconds));
        System.out.println("[jchaos] " + testName(context) + " leaked with " + activePoints.size()
                + " active points; searching the minimal failing configuration (seed " + run.seed + ", budget "
                + maxRuns + " runs / " + maxSeconds + " s)");
        Minimizer minimizer = new Minimizer(new NestedRunner(context, run.seed), settings, System.out::println,
                System::nanoTime);
        Minimizer.Result result = minimizer.minimize(activePoints);
        StringBuilder out = new StringBuilder();
        if (result.leaksWithoutPoints()) {
            out.append("Leaks with no delay point active (").append(plural(result.runs(), "run"))
                    .append("): the leak does not need injected delays.\n");
            out.append(replay(run.seed)).append('\n');
            return out.toString();
        }
        Path jfr = reportFile(context, ".jfr");
        int leaked = confirmWithRecording(minimizer, result.minimal(), jfr);
        out.append("Minimal failing configuration (");
        if (!result.complete()) {
            out.append("best so far, search budget of ").append(maxRuns).append(" runs / ").append(maxSeconds)
                    .append(" s spent; ");
        }
        out.append(leaked).append('/').append(settings.attempts()).append(" attempts leaked, ")
                .append(plural(minimizer.runs(), "run")).append("):\n");
        for (Map.Entry<String, String> entry : result.minimal().entrySet()) {
            out.append("  ").append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        for (Map.Entry<String, Long> entry : result.thresholdsMs().entrySet()) {
            out.append("Delay threshold: ").append(entry.getKey()).append(" leaks from ").append(entry.getValue())
                    .append("ms\n");
        }
        out.append(replay(run.seed)).append('\n');
        if (Files.exists(jfr)) {
            out.append("JFR recording of the minimal reproduction: ").append(jfr).append('\n');
        }
        return out.toString();
    }

    private static int confirmWithRecording(Minimizer minimizer, Map<String, String> minimal, Path jfr) {
        Recording recording = null;
        try {
            recording = new Recording(Configuration.getConfiguration("default"));
            recording.setName("jchaos-minimal-reproduction");
            recording.start();
        } catch (IOException | ParseException | RuntimeException e) {
            System.err.println("[jchaos] no JFR evidence for the minimal reproduction: " + e);
            recording = null;
        }
        try {
            return minimizer.confirm(minimal);
        } finally {
            if (recording != null) {
                try {
                    recording.stop();
                    Files.createDirectories(jfr.getParent());
                    recording.dump(jfr);
                } catch (IOException | RuntimeException e) {
                    System.err.println("[jchaos] could not save the JFR recording to " + jfr + ": " + e);
                } finally {
                    recording.close();
                }
            }
        }
    }

    private static List<LeakedThread> withStartSites(List<LeakedThread> threads) {
        CreationSites sites = CreationSites.start();
        if (sites == null) {
            return threads;
        }
        Set<Long> ids = new HashSet<>();
        for (LeakedThread thread : threads) {
            ids.add(thread.id());
        }
        Map<Long, String> found = sites.sitesOf(ids);
        List<LeakedThread> out = new ArrayList<>();
        for (LeakedThread thread : threads) {
            out.add(thread.withStartedAt(found.get(thread.id())));
        }
        return out;
    }

    private static DetectThreadLeaks leakSettings(ExtensionContext context, boolean nested) {
        Optional<DetectThreadLeaks> declared = closest(context, DetectThreadLeaks.class);
        if (declared.isPresent()) {
            return declared.get();
        }
        boolean all = context.getConfigurationParameter(DETECT_ALL).map(Boolean::parseBoolean).orElse(false);
        return all || nested ? Defaults.class.getAnnotation(DetectThreadLeaks.class) : null;
    }

    private static void validate(DetectThreadLeaks settings, ExtensionContext context) {
        String where = " (on " + testName(context) + ")";
        if (settings.lingerMs() < 0) {
            throw new ExtensionConfigurationException("@DetectThreadLeaks(lingerMs) must not be negative but was "
                    + settings.lingerMs() + where);
        }
        if (settings.attempts() < 1) {
            throw new ExtensionConfigurationException("@DetectThreadLeaks(attempts) must be at least 1 but was "
                    + settings.attempts() + where);
        }
        for (String regex : settings.ignoreThreads()) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ExtensionConfigurationException("@DetectThreadLeaks(ignoreThreads) has a bad regex \""
                        + regex + "\"" + where + ": " + e.getDescription(), e);
            }
        }
    }

    /** Concurrent tests' threads cannot be told apart, so a leak-checked test must run alone. */
    private static void checkIsolation(ExtensionContext context) {
        boolean parallel = context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(Boolean::parseBoolean).orElse(false);
        if (!parallel) {
            return;
        }
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(type, Isolated.class)) {
                return;
            }
        }
        throw new ExtensionConfigurationException("jchaos thread-leak detection cannot tell apart the threads of "
                + "tests running at the same time: annotate " + context.getRequiredTestClass().getName()
                + " with @org.junit.jupiter.api.parallel.Isolated, or turn off "
                + "junit.jupiter.execution.parallel.enabled");
    }

    /** Class-level activations (outermost class first), then the method's own. */
    private static List<DelayActivation> activations(ExtensionContext context) {
        List<DelayActivation> out = new ArrayList<>();
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            classes.add(0, type);
        }
        try {
            for (Class<?> type : classes) {
                for (InjectDelay delay : AnnotationSupport.findRepeatableAnnotations(type, InjectDelay.class)) {
                    out.add(DelayActivation.of(delay, type.getName()));
                }
            }
            Method method = context.getRequiredTestMethod();
            for (InjectDelay delay : AnnotationSupport.findRepeatableAnnotations(method, InjectDelay.class)) {
                out.add(DelayActivation.of(delay, method.getDeclaringClass().getName() + "#" + method.getName()));
            }
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        return out;
    }

    private static List<DelayActivation> decode(String candidate) {
        List<DelayActivation> out = new ArrayList<>();
        for (String line : candidate.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.add(new DelayActivation(line.substring(0, eq), line.substring(eq + 1), "minimization run"));
            }
        }
        return out;
    }

    private static void activate(TestRun run, List<DelayActivation> wanted) {
        ChaosController controller = Chaos.controller();
        controller.setSeed(run.seed);
        run.wasEnabled = controller.isEnabled();
        controller.setEnabled(true);
        for (DelayActivation activation : wanted) {
            try {
                controller.activate(activation.pattern(), activation.actions());
            } catch (IllegalArgumentException e) {
                deactivate(run);
                throw new ExtensionConfigurationException("@InjectDelay on " + activation.origin() + " is invalid: "
                        + e.getMessage(), e);
            }
            run.activated.add(activation);
        }
    }

    private static void deactivate(TestRun run) {
        ChaosController controller = Chaos.controller();
        RuntimeException failure = null;
        for (DelayActivation activation : run.activated) {
            try {
                controller.deactivate(activation.pattern());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        run.activated.clear();
        controller.setEnabled(run.wasEnabled);
        if (failure != null) {
            throw failure;
        }
    }

    private static Map<String, String> activePoints() {
        Map<String, String> active = new LinkedHashMap<>();
        for (PointSnapshot point : Chaos.controller().points()) {
            if (point.actions() != null) {
                active.put(point.id(), point.actions());
            }
        }
        return active;
    }

    private static synchronized void installAgent() {
        if (Chaos.agentInstalled()) {
            return;
        }
        // self-attach takes seconds; once refused it stays refused, so later tests fail fast with the same advice
        if (agentFailure == null) {
            try {
                Chaos.installAgent();
                return;
            } catch (RuntimeException e) {
                agentFailure = e;
            }
        }
        throw new ExtensionConfigurationException("jchaos could not install its agent into this JVM ("
                + agentFailure.getMessage() + "). Add -javaagent:" + agentJar()
                + " to the test JVM, e.g. Maven Surefire <argLine>-javaagent:" + agentJar() + "</argLine>",
                agentFailure);
    }

    /** Where the agent jar should be: beside the chaos-core jar on the class path. */
    static String agentJar() {
        try {
            CodeSource source = Chaos.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Paths.get(source.getLocation().toURI());
                String name = location.getFileName().toString();
                if (name.endsWith(".jar")) {
                    return location.resolveSibling(name.substring(0, name.length() - 4) + "-agent.jar").toString();
                }
                return location.resolveSibling("chaos-core-" + coreVersion() + "-agent.jar").toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the generic advice
        }
        return "path/to/chaos-core-" + coreVersion() + "-agent.jar";
    }

    private static String coreVersion() {
        String version = Chaos.class.getPackage().getImplementationVersion();
        return version == null ? "<version>" : version;
    }

    private static long seed(ExtensionContext context) {
        Optional<String> nested = context.getConfigurationParameter(NestedRunner.SEED);
        if (nested.isPresent()) {
            return Long.parseLong(nested.get());
        }
        Optional<ChaosTest> chaosTest = closest(context, ChaosTest.class);
        if (chaosTest.isPresent() && chaosTest.get().seed() != 0) {
            return chaosTest.get().seed();
        }
        String property = System.getProperty("jchaos.seed");
        if (property != null && !property.isBlank()) {
            try {
                return Long.parseLong(property.trim());
            } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException("-Djchaos.seed must be a long but was \"" + property + "\"",
                        e);
            }
        }
        long seed = 0;
        while (seed == 0) {
            seed = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        }
        return seed;
    }

    /** The annotation on the test method, else on its class or superclasses, else on an enclosing class. */
    private static <A extends Annotation> Optional<A> closest(ExtensionContext context, Class<A> type) {
        List<AnnotatedElement> places = new ArrayList<>();
        context.getTestMethod().ifPresent(places::add);
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            places.add(c);
        }
        for (AnnotatedElement place : places) {
            Optional<A> found = AnnotationSupport.findAnnotation(place, type);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static int intParameter(ExtensionContext context, String key, int fallback) {
        Optional<String> value = context.getConfigurationParameter(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get().trim());
            if (parsed < 1) {
                throw new NumberFormatException("not positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(key + " must be a positive integer but was \"" + value.get()
                    + "\"", e);
        }
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String replay(long seed) {
        return "Replay: @ChaosTest(seed = " + seed + ") or -Djchaos.seed=" + seed;
    }

    static String testName(ExtensionContext context) {
        return className(context.getRequiredTestClass()) + "." + context.getRequiredTestMethod().getName() + "()";
    }

    private static String className(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static Path reportFile(ExtensionContext context, String suffix) {
        String base = System.getProperty("basedir");
        Path root = base == null ? Paths.get("target") : Paths.get(base, "target");
        return root.resolve("jchaos-reports").resolve(className(context.getRequiredTestClass()))
                .resolve(context.getRequiredTestMethod().getName() + suffix);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("[jchaos] could not write the leak report to " + file + ": " + e);
        }
    }
}
