package dev.jchaos.core;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.internal.Controllers;
import dev.jchaos.core.internal.DeclaredActions;
import dev.jchaos.core.internal.agent.SelfAttach;

/**
 * Entry point of jchaos: the JVM's one {@link ChaosController}, the agent installer, and the timeout counters.
 */
public final class Chaos {

    private Chaos() {
    }

    /**
     * The JVM's controller. When another copy of jchaos (in another class loader) controls the JVM, this is a view of
     * that one, so there is still exactly one.
     */
    public static ChaosController controller() {
        return Controllers.controller();
    }

    /**
     * Installs the jchaos agent into this JVM if it is not there yet (self-attach; no JVM flags needed). Idempotent.
     *
     * @throws IllegalStateException when this JVM forbids attaching, with what to add to the command line instead
     */
    public static synchronized void installAgent() {
        if (Controllers.agentPresent()) {
            return;
        }
        SelfAttach.install();
    }

    /** Whether an agent has started in this JVM (by {@code -javaagent}, self-attach or attach by pid). */
    public static boolean agentInstalled() {
        return Controllers.agentPresent();
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

    /**
     * Race exposure at call sites of {@code java.util} collections that are not thread-safe (chaos-junit's
     * {@code @DetectRaces} uses it; {@code jchaos.races} watches a running service). The JVM's one controller's.
     */
    public static Races races() {
        return Controllers.races();
    }

    /**
     * Where timeouts are counted; the {@code jchaos.timeouts} and {@code jchaos.timeout.rate} meters read it. Whichever
     * copy of jchaos the caller loaded, these are the JVM's one controller's counters.
     */
    public static Timeouts timeouts() {
        return Controllers.timeouts();
    }
}
