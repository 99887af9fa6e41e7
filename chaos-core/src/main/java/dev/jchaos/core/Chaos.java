package dev.jchaos.core;

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

    /** Where timeouts are counted; the {@code jchaos.timeouts} and {@code jchaos.timeout.rate} meters read it. */
    public static Timeouts timeouts() {
        return TimeoutTracker.get();
    }
}
