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
 * configuration. Each invocation of a parameterized, repeated or template test and each dynamic test is checked
 * on its own.
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

    /**
     * Whether the leaked threads are interrupted after the report (only threads created during the test, never a
     * thread that existed before it). Off by default: the report already fails the test, and a thread that only
     * looks new, such as a lazily started shared one, breaks later tests when interrupted. The configuration
     * parameter {@code jchaos.junit.interruptLeaks=true} turns it on for every test.
     */
    boolean interrupt() default false;

    /**
     * Whether threads started during the test by a thread that was alive before it (a pool an earlier test left
     * behind) fail the test too; by default they are reported on their own and do not. The configuration parameter
     * {@code jchaos.junit.failOnThreadsFromEarlierTests=true} turns it on for every test.
     */
    boolean failOnThreadsFromEarlierTests() default false;
}
