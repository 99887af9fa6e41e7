package dev.jchaos.core;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.internal.DeclaredActions;
import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.ForeignController;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.TimeoutTracker;
import dev.jchaos.core.internal.agent.SelfAttach;

/**
 * Entry point of jchaos: the JVM's one {@link ChaosController}, the agent installer, and the timeout counters.
 */
public final class Chaos {

    private static volatile ChaosController foreign;
    private static volatile boolean mbeanReady;

    private Chaos() {
    }

    /**
     * The JVM's controller. When another copy of jchaos (in another class loader) already controls the JVM, this
     * is a view of that one, so there is still exactly one.
     */
    public static ChaosController controller() {
        ChaosController f = foreign;
        if (f != null) {
            return f;
        }
        Engine engine = Engine.get();
        if (!engine.isAttached()) {
            HubLink hub = HubLink.find();
            Object channel = hub == null ? null : hub.controller();
            if (channel != null) {
                f = ForeignController.of(channel);
                foreign = f;
                return f;
            }
        }
        if (!mbeanReady) {
            engine.awaitMBean();
            mbeanReady = true;
        }
        return engine;
    }

    /**
     * Installs the jchaos agent into this JVM if it is not there yet (self-attach; no JVM flags needed). Idempotent.
     *
     * @throws IllegalStateException when this JVM forbids attaching, with what to add to the command line instead
     */
    public static synchronized void installAgent() {
        if (Engine.get().isAttached() || foreign != null) {
            return;
        }
        SelfAttach.install();
    }

    /** Whether an agent has started in this JVM (by {@code -javaagent}, self-attach or attach by pid). */
    public static boolean agentInstalled() {
        HubLink hub = HubLink.find();
        return hub != null && hub.instrumentation() != null;
    }

    /**
     * The actions an {@code @InjectDelay} stands for, in the action language: {@code ms = 50, jitterMs = 250,
     * probability = 0.25, times = 3} is {@code 25%3*delay(50ms..300ms)}; {@code probability = 0} or {@code times = 0}
     * is {@code off}. The same rules apply to a point's declared defaults and to a test's activation.
     *
     * @throws IllegalArgumentException naming the attribute, such as
     *                                  {@code @InjectDelay(probability) must be within 0.0..1.0 but was 2.0}
     */
    public static String declaredActions(InjectDelay delay) {
        return DeclaredActions.text(delay.ms(), delay.jitterMs(), delay.probability(), delay.times());
    }

    /** Where timeouts are counted; the {@code jchaos.timeouts} and {@code jchaos.timeout.rate} meters read it. */
    public static Timeouts timeouts() {
        return TimeoutTracker.get();
    }
}
