package dev.jchaos.core.internal.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points ({@code -javaagent}, attach by pid, self-attach). With the argument {@code handoff} it
 * only installs the bootstrap hub and hands the instrumentation to the copy of jchaos that asked for it.
 */
public final class JChaosAgent {

    /** The agent argument of {@link dev.jchaos.core.Chaos#installAgent()}. */
    public static final String HANDOFF = "handoff";

    private JChaosAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        try {
            if (!HubInstaller.install(inst)) {
                return;
            }
            if (!HANDOFF.equals(args)) {
                AgentStart.start(inst);
            }
        } catch (Throwable t) {
            // the host application must start whatever happens to chaos
            System.err.println("[jchaos] the agent failed to start; the application runs on without chaos: " + t);
        }
    }
}
