package dev.jchaos.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test with {@link ThreadSafetyViolationError} when two of its threads are inside calls on one instance of a
 * {@code java.util} collection that is not thread-safe ({@code HashMap}, {@code ArrayList}, ... and their views and
 * iterators) at the same time, at least one of them writing. Calls are watched at their call sites in the classes of
 * {@link #packages()}; {@code java.util} itself is never woven.
 *
 * <p>The first run of the test learns near misses: two threads on one instance within {@link #delayMs()} of each
 * other. When it found some and no violation, the test is run again (a fresh instance, its whole lifecycle, the same
 * seed) with threads held at those call sites for {@code delayMs}, so that a near miss becomes an overlap, up to
 * {@link #runs()} runs in all. Only overlaps that really happened are reported: code ordered by a lock, a
 * synchronized wrapper, a {@code join} or thread confinement never is. Re-runs need
 * {@code org.junit.platform:junit-platform-launcher} on the test class path.
 *
 * <p>Works together with {@link ChaosTest}, {@code @InjectDelay} and {@link DetectThreadLeaks} on the same test.
 * Tests watched for races must not run at the same time as other tests: with parallel execution, annotate the class
 * {@code @Isolated}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ChaosExtension.class)
public @interface DetectRaces {

    /**
     * Globs of the binary names of the classes whose call sites are watched ({@code *} stands for any run of
     * characters, dots included), such as {@code com.acme.orders.*}; empty means the test class's package and below.
     */
    String[] packages() default {};

    /**
     * How long a thread is held at a suspect call site, in milliseconds; accesses from two threads within this time
     * are a near miss.
     */
    long delayMs() default 100;

    /** Runs of the test at most: the first learns near misses, later ones hold threads there. */
    int runs() default 3;
}
