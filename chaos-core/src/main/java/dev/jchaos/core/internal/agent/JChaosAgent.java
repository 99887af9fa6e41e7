package dev.jchaos.core.internal.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points ({@code -javaagent}, attach by pid, self-attach). With the argument
 * {@code handoff:<token>} it only defines the bootstrap classes and leaves the instrumentation, under that one-time
 * token, for the copy of jchaos that asked for it; nothing else in the JVM can take it.
 */
public final class JChaosAgent {

    /** The agent argument prefix of {@link dev.jchaos.core.Chaos#installAgent()}. */
    public static final String HANDOFF = "handoff:";

    private JChaosAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    private static void start(String args, Instrumentation inst, boolean atStartUp) {
        try {
            if (!HubInstaller.install(inst)) {
                return;
            }
            if (args != null && args.startsWith(HANDOFF)) {
                offer(args.substring(HANDOFF.length()), inst);
                return;
            }
            AgentStart.start(inst, atStartUp, args);
        } catch (Throwable t) {
            // the host application must start whatever happens to chaos
            System.err.println("[jchaos] the agent failed to start; the application runs on without chaos: " + t);
        }
    }

    private static void offer(String token, Instrumentation inst) throws ReflectiveOperationException {
        Class<?> hub = HubInstaller.bootClass(HubInstaller.HUB);
        hub.getMethod("offer", String.class, Instrumentation.class).invoke(null, token, inst);
    }
}
