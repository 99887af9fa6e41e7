package dev.jchaos.junit.internal;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says so, once per test class, when a test carries {@code @InjectDelay} but the jchaos extension did not run for it:
 * {@code @InjectDelay} lives in the dependency-free chaos-annotations and cannot register the extension itself, so
 * without {@code @ChaosTest} (or {@code @DetectThreadLeaks}, {@code @DetectRaces}, auto-detection) the delay would
 * silently not happen. Whether the extension ran is not guessed from annotations or configuration (auto-detection can
 * be switched on by a suite, or a 5.13 exclude pattern can drop the extension): the extension marks each delayed test
 * method it runs for, and a delayed test that finished unmarked is said. The launcher registers this listener by
 * {@code ServiceLoader}; it only reads annotations, and nothing it meets can fail the run. Public only because
 * {@code ServiceLoader} requires it: not part of chaos-junit's API.
 */
public final class UnregisteredDelayWarning implements TestExecutionListener {

    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private final PrintStream out;
    private final Set<Class<?>> warned = ConcurrentHashMap.newKeySet();

    /** Created by the JUnit Platform launcher. */
    public UnregisteredDelayWarning() {
        this(System.err);
    }

    UnregisteredDelayWarning(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        DelayedTests.listening = true;
    }

    @Override
    public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult result) {
        if (!testIdentifier.isTest() || result.getStatus() == TestExecutionResult.Status.ABORTED) {
            return;
        }
        try {
            TestSource source = testIdentifier.getSource().orElse(null);
            if (source instanceof MethodSource) {
                check((MethodSource) source);
            }
        } catch (RuntimeException | LinkageError e) {
            // a test whose class or method cannot be inspected here is JUnit's to report, not ours
        }
    }

    private void check(MethodSource source) {
        Class<?> type = source.getJavaClass();
        if (warned.contains(type)) {
            return;
        }
        Method method = source.getJavaMethod();
        if (!DelayedTests.delays(type, method) || DelayedTests.marked(method)) {
            return;
        }
        if (warned.add(type)) {
            out.println("[jchaos] " + type.getName() + "#" + method.getName() + " has @InjectDelay, but the jchaos "
                    + "extension is not registered for it, so no delay is activated: annotate " + type.getName()
                    + " with @dev.jchaos.junit.ChaosTest (or enable " + AUTODETECTION + ")");
        }
    }
}
