package dev.jchaos.junit;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.PointSnapshot;
import dev.jchaos.core.RaceReport;
import dev.jchaos.core.Races;
import dev.jchaos.junit.internal.DelayedTests;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.UniqueId;

/**
 * The jchaos JUnit Jupiter extension behind {@link ChaosTest}, {@link DetectThreadLeaks} and {@link DetectRaces};
 * also registered for auto-detection. It is public only because {@code ServiceLoader} requires it; use the annotations.
 */
public final class ChaosExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        InvocationInterceptor {

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

    /** What a test started with, kept until it ends; a test factory's run is shared by its dynamic tests. */
    private static final class TestRun {
        LeakSettings settings;
        ThreadCensus census;
        CreationSites sites;
        ThreadCensus.Baseline baseline;
        /** The threads that ran the test (its callbacks, its dynamic tests): their children are the test's. */
        final Set<Long> testThreads = ConcurrentHashMap.newKeySet();
        /** Threads a dynamic test of this factory already reported, so the factory does not report them again. */
        final Set<Long> reported = ConcurrentHashMap.newKeySet();
        ChaosState chaos;
        Long seed;
        NestedRun nested;
        RaceRuns.Settings races;
        Races.Session raceSession;
        /** The patterns of the test's own {@code @InjectDelay}s. */
        List<String> patterns = List.of();
        /** The minimizer's budget, read (and so validated) before the test runs. */
        int maxRuns;
        int maxSeconds;
    }

    /**
     * The parameters of a re-run, present only inside one: a minimization run's candidate configuration, or the call
     * sites a race re-run holds threads at ({@code holdAt}, {@code null} in a minimization run).
     */
    private record NestedRun(String token, String candidate, String target, boolean earlierCounted,
                             List<String> holdAt) {

        static NestedRun of(ExtensionContext context) {
            Optional<String> token = context.getConfigurationParameter(NestedRunner.TOKEN);
            if (token.isEmpty()) {
                return null;
            }
            List<String> holdAt = context.getConfigurationParameter(NestedRunner.RACE_HOLD_AT)
                    .map(sites -> sites.isEmpty() ? List.<String>of() : Arrays.asList(sites.split("\n")))
                    .orElse(null);
            return new NestedRun(token.get(), context.getConfigurationParameter(NestedRunner.CANDIDATE).orElse(""),
                    context.getConfigurationParameter(NestedRunner.TARGET).orElse(""),
                    context.getConfigurationParameter(NestedRunner.EARLIER_COUNTED).map(Boolean::parseBoolean)
                            .orElse(false), holdAt);
        }

        boolean races() {
            return holdAt != null;
        }

        boolean minimizing() {
            return holdAt == null;
        }
    }

    /**
     * With {@code jchaos.points} or {@code jchaos.races} set for the test JVM, the agent is installed before the first
     * class the extension runs on, so that configuration is in force from its {@code @BeforeAll} on, whatever the
     * order of the tests, and not only once some test activates a point.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (configuredByProperties()) {
            installAgent();
        }
    }

    private static boolean configuredByProperties() {
        for (String property : new String[] {"jchaos.points", "jchaos.races"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        DelayedTests.extensionRunsFor(context.getRequiredTestClass(), context.getRequiredTestMethod());
        TestRun run = new TestRun();
        run.nested = NestedRun.of(context);
        boolean minimizing = run.nested != null && run.nested.minimizing();
        run.settings = leakSettings(context, minimizing);
        // a minimization run has only its candidate; a race re-run has the test's own activations, as the test had
        List<DelayActivation> wanted = minimizing ? decode(run.nested.candidate()) : activations(context);
        run.races = minimizing ? null : closest(context, DetectRaces.class)
                .map(declared -> RaceRuns.Settings.of(context, declared)).orElse(null);
        if (run.nested == null && (run.settings != null || run.races != null)) {
            checkIsolation(context, run.settings != null ? "thread-leak detection" : "race detection");
        }
        if (run.settings != null) {
            // a bad budget fails the test before it runs, never in place of the leak report it would have given
            run.maxRuns = intParameter(context, MAX_RUNS, DEFAULT_MAX_RUNS);
            run.maxSeconds = intParameter(context, MAX_SECONDS, DEFAULT_MAX_SECONDS);
            run.census = new ThreadCensus(run.settings.ignoreThreads());
            run.sites = CreationSites.start();
        }
        if (!wanted.isEmpty() || run.nested != null || run.races != null) {
            installAgent();
            run.seed = seed(context);
        }
        // the baseline comes after jchaos's own start-up so nothing of it is blamed on the test
        if (run.settings != null) {
            run.baseline = ThreadCensus.baseline();
        }
        run.testThreads.add(Thread.currentThread().getId());
        context.getStore(NAMESPACE).put(RUN, run);
        if (!wanted.isEmpty() || minimizing) {
            run.chaos = ChaosState.enter(wanted, run.seed, minimizing);
            List<String> patterns = new ArrayList<>();
            for (DelayActivation activation : wanted) {
                patterns.add(activation.pattern());
            }
            run.patterns = patterns;
        }
        if (run.races != null) {
            run.raceSession = watchRaces(context, run);
        }
    }

    private static Races.Session watchRaces(ExtensionContext context, TestRun run) {
        List<String> holdAt = run.nested == null ? List.of() : run.nested.holdAt();
        try {
            return Chaos.races().watch(run.races.classGlobs(), Duration.ofMillis(run.races.delayMs()), holdAt,
                    run.seed);
        } catch (ChaosConfigException e) {
            throw new ExtensionConfigurationException("@DetectRaces(packages) on " + testName(context)
                    + " is invalid: " + e.getMessage());
        } catch (IllegalStateException e) {
            // a state of jchaos itself, not the user's input: its cause helps whoever reports it
            throw new ExtensionConfigurationException("jchaos cannot watch " + testName(context) + " for races: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        TestRun run = context.getStore(NAMESPACE).remove(RUN, TestRun.class);
        if (run == null) {
            return;
        }
        // held threads go first, before anything waits for the test's threads to end
        RaceReport races = run.raceSession == null ? null : run.raceSession.stop();
        if (races != null && run.nested != null && run.nested.target().equals(context.getUniqueId())) {
            NestedRunner.record(run.nested.token(), races);
        }
        Map<String, String> activePoints = Map.of();
        if (run.chaos != null) {
            try {
                activePoints = activePoints();
            } finally {
                run.chaos.restore();
            }
            if (context.getExecutionException().isPresent() && run.nested == null) {
                System.err.println("[jchaos] " + testName(context) + " failed with delay points active; "
                        + replay(run.seed));
            }
        }
        AssertionError failure = null;
        if (run.settings != null) {
            try {
                check(context, run, run.baseline, run.reported, activePoints);
            } catch (ThreadLeakError leak) {
                failure = leak;
            }
        }
        if (races != null && run.nested == null) {
            ThreadSafetyViolationError violation = races(context, run, races);
            if (violation != null && failure != null) {
                failure.addSuppressed(violation);
            } else if (violation != null) {
                failure = violation;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Follows the first run's race report through re-runs; the error to fail the test with, or {@code null}. */
    private ThreadSafetyViolationError races(ExtensionContext context, TestRun run, RaceReport first) {
        String name = testName(context);
        String canRerun = launcherAvailable() ? null : "the JUnit Platform launcher is not on the test class path; "
                + "add org.junit.platform:junit-platform-launcher (the version that goes with your junit-jupiter) as "
                + "a test dependency to have the test re-run with threads held there";
        RaceRuns.Rerun rerun = canRerun == null ? new NestedRunner(context, run.seed, false)
                : holdAt -> RaceRuns.RunResult.none(canRerun);
        RaceRuns.Outcome outcome = RaceRuns.follow(name, run.races, first, rerun, canRerun, System.out::println);
        if (outcome.violations().isEmpty()) {
            if (outcome.stoppedBecause() != null) {
                System.err.println("[jchaos] " + name + ": " + RaceRuns.plural(outcome.suspects().size(),
                        "suspect call site") + " not followed (" + outcome.stoppedBecause() + "): "
                        + outcome.suspects());
            }
            return null;
        }
        Path reportFile = reportFile(context, ".races.txt");
        String text = RaceRuns.render(name, run.races, outcome, run.seed) + "Report: " + reportFile + '\n';
        write(reportFile, text);
        return new ThreadSafetyViolationError(text, outcome.violations());
    }

    /** Each dynamic test of a leak-checked factory is checked on its own, around its executable. */
    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
                                     ExtensionContext extensionContext) throws Throwable {
        TestRun run = extensionContext.getStore(NAMESPACE).get(RUN, TestRun.class);
        if (run == null || run.settings == null) {
            invocation.proceed();
            return;
        }
        run.testThreads.add(Thread.currentThread().getId());
        ThreadCensus.Baseline baseline = ThreadCensus.baseline();
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        }
        try {
            check(extensionContext, run, baseline, Set.of(), run.chaos == null ? Map.of() : activePoints());
        } catch (ThreadLeakError leak) {
            if (failure == null) {
                failure = leak;
            } else {
                failure.addSuppressed(leak);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The leak check after a test, an invocation or a dynamic test; throws {@link ThreadLeakError} on a leak. */
    private void check(ExtensionContext context, TestRun run, ThreadCensus.Baseline baseline, Set<Long> excluded,
                       Map<String, String> activePoints) throws InterruptedException {
        LeakSettings settings = run.settings;
        boolean target = run.nested != null && run.nested.target().equals(context.getUniqueId());
        ThreadCensus.Leak leak = run.census.leaksSince(baseline, settings.lingerMs(), excluded);
        if (run.nested != null && run.nested.races()) {
            // the test itself was checked; what only a race re-run left behind is stopped, not reported again
            if (!leak.isEmpty()) {
                List<LeakedThread> own = Attribution.of(leak.threads(), baseline, run.testThreads, run.sites).own();
                ThreadCensus.interrupt(createdDuring(own, leak, baseline), INTERRUPT_WAIT_MS);
            }
            return;
        }
        if (leak.isEmpty()) {
            if (target) {
                NestedRunner.record(run.nested.token(), false);
            }
            return;
        }
        for (LeakedThread thread : leak.threads()) {
            run.reported.add(thread.id());
        }
        Attribution.Verdict verdict = Attribution.of(leak.threads(), baseline, run.testThreads, run.sites);
        boolean earlierCounted = run.nested != null ? run.nested.earlierCounted()
                : settings.failOnThreadsFromEarlierTests();
        List<LeakedThread> counted = new ArrayList<>(verdict.own());
        if (earlierCounted) {
            counted.addAll(verdict.earlier());
        }
        if (run.nested != null) {
            if (target) {
                NestedRunner.record(run.nested.token(), !counted.isEmpty());
            }
            // these threads exist only because jchaos re-ran the test; they were created during the re-run
            ThreadCensus.interrupt(createdDuring(verdict.own(), leak, baseline), INTERRUPT_WAIT_MS);
            if (!counted.isEmpty()) {
                throw new ThreadLeakError(counted.size() + " threads leaked (minimization run)", counted.size());
            }
            return;
        }
        String name = testName(context);
        StringBuilder report = new StringBuilder(LeakReport.render(name, verdict, earlierCounted));
        if (settings.interrupt() && !counted.isEmpty()) {
            report.append(interrupt(counted, leak, baseline));
        }
        Path reportFile = reportFile(context, ".txt");
        if (counted.isEmpty()) {
            report.append("Report: ").append(reportFile).append('\n');
            write(reportFile, report.toString());
            System.err.println("[jchaos] " + name + ": " + plural(verdict.earlier().size(), "thread")
                    + " started during the test by an earlier test's thread (not counted); report: " + reportFile);
            return;
        }
        if (run.seed != null && !activePoints.isEmpty() && settings.minimize()) {
            report.append(minimize(context, run, activePoints, earlierCounted));
        } else if (run.seed != null && activePoints.isEmpty() && !run.patterns.isEmpty()) {
            // say why there is no minimal configuration rather than leave the section out
            report.append("No delay point was active when it leaked: ").append(run.patterns)
                    .append(" decided no point woven in this JVM (its class not loaded, a typo, or a method only an")
                    .append(" earlier test's target wove), so the leak does not come from injected delays.\n")
                    .append(replay(run.seed)).append('\n');
        } else if (run.seed != null) {
            report.append(replay(run.seed)).append('\n');
        }
        report.append("Report: ").append(reportFile).append('\n');
        String text = report.toString();
        write(reportFile, text);
        throw new ThreadLeakError(text, counted.size());
    }

    /** The platform threads of {@code threads} that were created (not only started) during the test. */
    private static List<Thread> createdDuring(List<LeakedThread> threads, ThreadCensus.Leak leak,
                                              ThreadCensus.Baseline baseline) {
        List<Thread> out = new ArrayList<>();
        for (LeakedThread thread : threads) {
            Thread object = leak.platformThreads().get(thread.id());
            if (object != null && baseline.createdAfter(thread.id())) {
                out.add(object);
            }
        }
        return out;
    }

    private static String interrupt(List<LeakedThread> counted, ThreadCensus.Leak leak,
                                    ThreadCensus.Baseline baseline) throws InterruptedException {
        List<Thread> targets = createdDuring(counted, leak, baseline);
        List<String> untouched = new ArrayList<>();
        for (LeakedThread thread : counted) {
            if (leak.platformThreads().get(thread.id()) == null || !baseline.createdAfter(thread.id())) {
                untouched.add(thread.displayName());
            }
        }
        List<Thread> alive = ThreadCensus.interrupt(targets, INTERRUPT_WAIT_MS);
        StringBuilder out = new StringBuilder("Interrupted ").append(plural(targets.size(), "leaked thread"))
                .append(" (interrupt = true): ");
        if (alive.isEmpty()) {
            out.append(targets.isEmpty() ? "none could be" : "all ended");
        } else {
            out.append(alive.size()).append(" still alive after ").append(INTERRUPT_WAIT_MS).append(" ms: ")
                    .append(names(alive));
        }
        if (!untouched.isEmpty()) {
            out.append("; not interrupted (virtual, or created before the test): ").append(untouched);
        }
        return out.append('\n').toString();
    }

    private static List<String> names(List<Thread> threads) {
        List<String> names = new ArrayList<>();
        for (Thread thread : threads) {
            names.add(thread.getName());
        }
        return names;
    }

    private String minimize(ExtensionContext context, TestRun run, Map<String, String> activePoints,
                            boolean earlierCounted) {
        StringBuilder out = new StringBuilder();
        if (!launcherAvailable()) {
            out.append("Minimal failing configuration not searched: the JUnit Platform launcher is not on the test "
                    + "class path; add org.junit.platform:junit-platform-launcher (the version that goes with your "
                    + "junit-jupiter) as a test dependency to have the test re-run. Active points when it leaked:\n");
            appendConfiguration(out, activePoints);
            return out.append(replay(run.seed)).append('\n').toString();
        }
        int maxRuns = run.maxRuns;
        int maxSeconds = run.maxSeconds;
        Minimizer.Settings settings = new Minimizer.Settings(run.settings.attempts(), run.settings.shrinkDelays(),
                maxRuns, Duration.ofSeconds(maxSeconds));
        System.out.println("[jchaos] " + testName(context) + " leaked with " + plural(activePoints.size(),
                "active point") + "; searching the minimal failing configuration (seed " + run.seed + ", budget "
                + maxRuns + " runs / " + maxSeconds + " s)");
        Minimizer minimizer = new Minimizer(new NestedRunner(context, run.seed, earlierCounted), settings,
                System.out::println, System::nanoTime);
        Minimizer.Result result = minimizer.minimize(activePoints);
        if (result.leaksWithoutPoints()) {
            out.append("Leaks with no delay point active (").append(plural(result.runs(), "run"))
                    .append("): the leak does not need injected delays.\n");
            return out.append(replay(run.seed)).append('\n').toString();
        }
        Path jfr = reportFile(context, ".jfr");
        Minimizer.Confirmation confirmed = confirmWithRecording(minimizer, result.minimal(), jfr);
        String tally = confirmed.leaked() + "/" + settings.attempts() + (confirmed.leaked() > 0 ? " attempts leaked"
                : " confirmation attempts leaked") + (confirmed.inconclusive() == 0 ? ""
                : ", " + confirmed.inconclusive() + " without a result (" + confirmed.reason() + ")")
                + ", " + plural(minimizer.runs(), "run");
        if (confirmed.leaked() > 0) {
            out.append("Minimal failing configuration (");
            if (!result.complete()) {
                out.append("best so far, ").append(result.stoppedBecause()).append("; ");
            }
            out.append(tally).append("):\n");
            appendConfiguration(out, result.minimal());
            for (Map.Entry<String, Long> entry : result.thresholdsMs().entrySet()) {
                out.append("Delay threshold: ").append(entry.getKey()).append(" leaks from ")
                        .append(entry.getValue()).append("ms\n");
            }
        } else {
            // never print a configuration the confirmation runs did not reproduce
            out.append("Minimal failing configuration not reproduced (").append(tally)
                    .append(result.complete() ? "" : "; " + result.stoppedBecause())
                    .append("); the full set of points active when it leaked:\n");
            appendConfiguration(out, activePoints);
            deleteQuietly(jfr);
        }
        if (!result.inconclusive().isEmpty()) {
            out.append(plural(result.inconclusive().size(), "candidate"))
                    .append(" without a result even after a retry, so not taken for clean:\n");
            for (String candidate : result.inconclusive()) {
                out.append("  ").append(candidate).append('\n');
            }
        }
        out.append(replay(run.seed)).append('\n');
        if (confirmed.leaked() > 0 && Files.exists(jfr)) {
            out.append("JFR recording of the minimal reproduction: ").append(jfr).append('\n');
        }
        return out.toString();
    }

    /**
     * Whether tests can be re-run: the JUnit Platform launcher is on the class path. Asked here, not in
     * {@link NestedRunner}, whose loading would need the launcher.
     */
    private static boolean launcherAvailable() {
        try {
            Class.forName("org.junit.platform.launcher.core.LauncherFactory", false,
                    ChaosExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void appendConfiguration(StringBuilder out, Map<String, String> configuration) {
        for (Map.Entry<String, String> entry : configuration.entrySet()) {
            out.append("  ").append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
    }

    private static Minimizer.Confirmation confirmWithRecording(Minimizer minimizer, Map<String, String> minimal,
                                                               Path jfr) {
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

    private static LeakSettings leakSettings(ExtensionContext context, boolean minimizing) {
        Optional<DetectThreadLeaks> declared = closest(context, DetectThreadLeaks.class);
        boolean all = LeakSettings.flag(context, DETECT_ALL);
        if (declared.isEmpty() && !all && !minimizing) {
            return null;
        }
        DetectThreadLeaks settings = declared.orElseGet(() -> Defaults.class.getAnnotation(DetectThreadLeaks.class));
        return LeakSettings.of(settings, context, " (on " + testName(context) + ")");
    }

    /** Concurrent tests' threads cannot be told apart, so a leak-checked or race-watched test must run alone. */
    private static void checkIsolation(ExtensionContext context, String what) {
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
        throw new ExtensionConfigurationException("jchaos " + what + " cannot tell apart the threads of "
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
            throw new ExtensionConfigurationException(e.getMessage());
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
                throw new ExtensionConfigurationException("-Djchaos.seed must be a long but was \"" + property
                        + "\"");
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
                    + "\"");
        }
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String replay(long seed) {
        return "Replay: @ChaosTest(seed = " + seed + ") or -Djchaos.seed=" + seed;
    }

    /**
     * {@code OrderServiceTest.placeOrder()}; an invocation of a parameterized, repeated or template test, or a
     * dynamic test, adds its index as in {@code PriceTest.quote()[3]} (a dynamic test in a container
     * {@code [1][2]}).
     */
    static String testName(ExtensionContext context) {
        String[] labels = labels(context);
        return labels[0] + "." + labels[1];
    }

    /** The class part and the method part of a test's name, each with its invocation indexes. */
    private static String[] labels(ExtensionContext context) {
        ExtensionContext test = context;
        while (test.getTestMethod().isEmpty() && test.getParent().isPresent()) {
            test = test.getParent().get();
        }
        StringBuilder classPart = new StringBuilder(className(test.getRequiredTestClass()));
        StringBuilder methodPart = new StringBuilder(test.getRequiredTestMethod().getName()).append("()");
        boolean inMethod = false;
        for (UniqueId.Segment segment : UniqueId.parse(context.getUniqueId()).getSegments()) {
            String type = segment.getType();
            if (type.equals("method") || type.equals("test-factory") || type.equals("test-template")) {
                inMethod = true;
            } else if (type.endsWith("-invocation") || type.startsWith("dynamic-")) {
                String index = segment.getValue().startsWith("#") ? segment.getValue().substring(1)
                        : segment.getValue();
                (inMethod ? methodPart : classPart).append('[').append(index).append(']');
            }
        }
        return new String[] {classPart.toString(), methodPart.toString()};
    }

    private static String className(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** {@code target/jchaos-reports/<TestClass>/<method><suffix>}, invocation indexes kept so none overwrites another. */
    private static Path reportFile(ExtensionContext context, String suffix) {
        String base = System.getProperty("basedir");
        Path root = base == null ? Paths.get("target") : Paths.get(base, "target");
        String[] labels = labels(context);
        String method = labels[1].replace("()", "");
        return root.resolve("jchaos-reports").resolve(labels[0]).resolve(method + suffix);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("[jchaos] could not write the report to " + file + ": " + e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale recording of runs that did not reproduce is only clutter
        }
    }
}
