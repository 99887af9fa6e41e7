package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.boot.Hub;
import net.bytebuddy.asm.Advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Woven into class files older than Java 7, which cannot hold {@code invokedynamic}: static calls into the hub with
 * the method's hub key (see {@link WovenCode}). Inlined, never loaded.
 */
public final class LegacyAdvice {

    /** Binds the hub key of the woven method. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface HubKey {
    }

    private LegacyAdvice() {
    }

    @Advice.OnMethodEnter
    public static void enter(@HubKey String key) throws Throwable {
        Hub.legacyEnter(key);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@HubKey String key, @Advice.Thrown Throwable thrown) throws Throwable {
        Hub.legacyExit(key, thrown);
    }
}
