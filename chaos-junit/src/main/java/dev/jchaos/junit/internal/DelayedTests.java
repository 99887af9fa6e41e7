package dev.jchaos.junit.internal;

import dev.jchaos.annotations.InjectDelay;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The delayed test methods the extension ran for in this JVM, for {@link UnregisteredDelayWarning} to tell which
 * ran without it. Apart from the listener so that the extension needs nothing of the launcher, which a user's test
 * class path may lack. Public only for the extension: not part of chaos-junit's API.
 */
public final class DelayedTests {

    /** Bounded by the number of delayed test methods; marks stay, so a nested re-run of a test cannot unmark it. */
    private static final Set<Method> RAN_WITH_THE_EXTENSION = ConcurrentHashMap.newKeySet();
    /** Whether a listener will ask: without one, nothing is kept. */
    static volatile boolean listening;

    private DelayedTests() {
    }

    /** Called by the extension before each test it runs for: marks {@code method} if it carries a delay. */
    public static void extensionRunsFor(Class<?> type, Method method) {
        if (listening && delays(type, method)) {
            RAN_WITH_THE_EXTENSION.add(method);
        }
    }

    static boolean marked(Method method) {
        return RAN_WITH_THE_EXTENSION.contains(method);
    }

    /** Whether the method, its class or an enclosing class carries {@code @InjectDelay}, as the extension reads it. */
    static boolean delays(Class<?> type, Method method) {
        if (!AnnotationSupport.findRepeatableAnnotations(method, InjectDelay.class).isEmpty()) {
            return true;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!AnnotationSupport.findRepeatableAnnotations(c, InjectDelay.class).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
