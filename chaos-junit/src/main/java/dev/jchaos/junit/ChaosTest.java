package dev.jchaos.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method with jchaos: the {@code @InjectDelay} annotations on the test activate
 * their points for each test, and {@link DetectThreadLeaks} (when present) checks for leaked threads.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ChaosExtension.class)
public @interface ChaosTest {

    /**
     * The seed of every random draw during the test; {@code 0} picks a random one. The seed used is printed when
     * the test fails, so a run can be replayed.
     */
    long seed() default 0;
}
