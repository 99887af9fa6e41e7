package dev.jchaos.junit.internal;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosExtension;
import dev.jchaos.junit.ChaosTest;
import dev.jchaos.junit.DetectRaces;
import dev.jchaos.junit.DetectThreadLeaks;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says so, once per test class, when a test carries {@code @InjectDelay} but nothing registers the jchaos extension
 * for it: {@code @InjectDelay} lives in the dependency-free chaos-annotations and cannot register the extension
 * itself, so without {@code @ChaosTest} (or {@code @DetectThreadLeaks}, {@code @DetectRaces}, auto-detection) the
 * delay would silently not happen. The launcher registers this listener by {@code ServiceLoader}; it only reads
 * annotations, and nothing it meets can fail the run. Public only because {@code ServiceLoader} requires it: not
 * part of chaos-junit's API.
 */
public final class UnregisteredDelayWarning implements TestExecutionListener {

    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private final PrintStream out;
    private final Set<Class<?>> warned = ConcurrentHashMap.newKeySet();
    private volatile boolean autodetected;

    /** Created by the JUnit Platform launcher. */
    public UnregisteredDelayWarning() {
        this(System.err);
    }

    UnregisteredDelayWarning(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        try {
            autodetected = testPlan.getConfigurationParameters().getBoolean(AUTODETECTION).orElse(false);
        } catch (RuntimeException | LinkageError e) {
            autodetected = true; // cannot tell: stay quiet rather than warn wrongly
        }
    }

    @Override
    public void executionStarted(TestIdentifier testIdentifier) {
        if (autodetected || !testIdentifier.isTest()) {
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
        boolean delays = !AnnotationSupport.findRepeatableAnnotations(method, InjectDelay.class).isEmpty();
        for (Class<?> c = type; c != null && !delays; c = c.getEnclosingClass()) {
            delays = !AnnotationSupport.findRepeatableAnnotations(c, InjectDelay.class).isEmpty();
        }
        if (!delays || registers(method)) {
            return;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (registers(c)) {
                return;
            }
        }
        if (warned.add(type)) {
            out.println("[jchaos] " + type.getName() + "#" + method.getName() + " has @InjectDelay, but the jchaos "
                    + "extension is not registered for it, so no delay is activated: annotate " + type.getName()
                    + " with @dev.jchaos.junit.ChaosTest (or enable " + AUTODETECTION + ")");
        }
    }

    /** Whether the method or class registers {@link ChaosExtension}, by any of the ways JUnit offers. */
    private static boolean registers(AnnotatedElement element) {
        if (AnnotationSupport.isAnnotated(element, ChaosTest.class)
                || AnnotationSupport.isAnnotated(element, DetectThreadLeaks.class)
                || AnnotationSupport.isAnnotated(element, DetectRaces.class)) {
            return true;
        }
        for (ExtendWith extendWith : AnnotationSupport.findRepeatableAnnotations(element, ExtendWith.class)) {
            for (Class<?> extension : extendWith.value()) {
                if (ChaosExtension.class.isAssignableFrom(extension)) {
                    return true;
                }
            }
        }
        if (element instanceof Class) {
            // a field that may hold the extension (declared as it, or as Extension or Object), or carries it
            List<Field> fields = AnnotationSupport.findAnnotatedFields((Class<?>) element, RegisterExtension.class,
                    f -> f.getType().isAssignableFrom(ChaosExtension.class)
                            || ChaosExtension.class.isAssignableFrom(f.getType()), HierarchyTraversalMode.TOP_DOWN);
            if (!fields.isEmpty()) {
                return true;
            }
            for (Field field : AnnotationSupport.findAnnotatedFields((Class<?>) element, ExtendWith.class,
                    f -> true, HierarchyTraversalMode.TOP_DOWN)) {
                if (registers(field)) {
                    return true;
                }
            }
            Class<?> superclass = ((Class<?>) element).getSuperclass();
            if (superclass != null && superclass != Object.class) {
                return registers(superclass);
            }
        }
        return false;
    }
}
