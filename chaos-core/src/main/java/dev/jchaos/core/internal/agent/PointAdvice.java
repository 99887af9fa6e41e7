package dev.jchaos.core.internal.agent;

import net.bytebuddy.asm.Advice;

/**
 * The shape of the woven code: one {@code invokedynamic} on entry and one on exit, linked by the hub to the point's
 * call sites. The bodies are never run; the bootstrap decides what the calls do.
 */
public final class PointAdvice {

    private PointAdvice() {
    }

    @Advice.OnMethodEnter(inline = false)
    public static void enter() {
        // linked by Hub.link
    }

    @Advice.OnMethodExit(inline = false, onThrowable = Throwable.class)
    public static void exit(@Advice.Thrown Throwable thrown) {
        // linked by Hub.link
    }
}
