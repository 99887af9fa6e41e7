package dev.jchaos.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test with {@link ThreadLeakError} when threads it started are still alive after it (and its
 * {@code @AfterEach}) ended. With active delay points, the failing test is re-run to find the minimal failing
 * configuration.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ChaosExtension.class)
public @interface DetectThreadLeaks {

    /** How long a suspect thread may linger after the test before it counts as leaked; a clean test never waits. */
    long lingerMs() default 1000;

    /** Regular expressions of thread names that never count as leaks. */
    String[] ignoreThreads() default {};

    /** Whether a leak under active delay points starts the search for the minimal failing configuration. */
    boolean minimize() default true;

    /** Runs per candidate configuration; a candidate leaks when any of them leaks. */
    int attempts() default 3;

    /** Whether the delays of the minimal configuration are bisected down to the smallest that still leaks. */
    boolean shrinkDelays() default true;
}
