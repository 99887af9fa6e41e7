package dev.jchaos.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A delay point.
 *
 * <p>On production code it <em>declares</em> a point: the jchaos agent weaves the method (or, on a type, each of
 * its public methods) so that the point can be activated at run time. A declared point is dormant and costs
 * nothing until it is activated through the {@code jchaos.points} system property, JMX or the Java API; activated
 * without actions, it uses the attributes given here.
 *
 * <p>On a JUnit test method or class (with {@code @ChaosTest}) it <em>activates</em> points for that test: the
 * points named by {@link #value()} (an id or a glob such as {@code com.acme.*}), or the method named by
 * {@link #target()}, with the attributes given here.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(InjectDelays.class)
public @interface InjectDelay {

    /**
     * The point id. On a method the default is {@code <binary class name>#<method name>}; overloads share it.
     * On a test, the id or glob of the points to activate.
     */
    String value() default "";

    /** Base delay in milliseconds; must not be negative. */
    long ms() default 100;

    /** Extra delay drawn uniformly from {@code [0, jitterMs]} milliseconds; must not be negative. */
    long jitterMs() default 0;

    /** Chance, from 0.0 to 1.0, that a call is delayed. */
    double probability() default 1.0;

    /** How many calls are delayed; {@code -1} for no limit. */
    int times() default -1;

    /**
     * Tests only: a method {@code fqcn#method} to weave and delay without any annotation in its source.
     */
    String target() default "";
}
