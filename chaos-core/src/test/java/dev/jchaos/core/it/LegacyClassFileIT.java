package dev.jchaos.core.it;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Class files older than Java 7 cannot hold invokedynamic: the agent weaves a static call instead. */
class LegacyClassFileIT {

    @AfterEach
    void disarm() {
        Chaos.controller().deactivateAll();
        Chaos.controller().setEnabled(false);
    }

    @Test
    void java6ClassFileIsWovenToo() throws Exception {
        Chaos.installAgent();
        Class<?> legacy = new ByteBuddy(ClassFileVersion.JAVA_V6)
                .subclass(Object.class)
                .name("fixture.legacy.Java6Service")
                .defineMethod("work", int.class, Visibility.PUBLIC, Ownership.STATIC)
                .intercept(FixedValue.value(7))
                .annotateMethod(AnnotationDescription.Builder.ofType(InjectDelay.class)
                        .define("value", "fixture.legacy").build())
                .make()
                .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        Chaos.controller().setEnabled(true);
        Chaos.controller().activate("fixture.legacy", "delay(120ms)");
        long start = System.nanoTime();
        assertThat(legacy.getMethod("work").invoke(null)).isEqualTo(7);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(115L, 5_000L);
        assertThat(Chaos.controller().points()).anySatisfy(p -> assertThat(p.id()).isEqualTo("fixture.legacy"));
    }
}
