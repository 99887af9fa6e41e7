package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.boot.Hub;
import net.bytebuddy.asm.Advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Woven into class files older than Java 7, which cannot hold {@code invokedynamic}: a static call into the hub with
 * the point id. Inlined, never loaded.
 */
public final class LegacyAdvice {

    /** Binds the point id of the woven method. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface PointId {
    }

    private LegacyAdvice() {
    }

    @Advice.OnMethodEnter
    public static void enter(@PointId String id) {
        Hub.legacyEnter(id);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@PointId String id, @Advice.Thrown Throwable thrown) {
        Hub.legacyExit(id, thrown);
    }
}
