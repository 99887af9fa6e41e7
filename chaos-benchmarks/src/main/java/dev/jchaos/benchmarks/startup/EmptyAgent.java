package dev.jchaos.benchmarks.startup;

import java.lang.instrument.Instrumentation;

/**
 * An agent that does nothing: what {@code -javaagent} alone costs the JVM (opening a jar before {@code main}, and the
 * JDK giving up its archived module graph), apart from anything an agent does. {@link StartupComparison} packs it
 * into a jar of its own.
 */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        // nothing, on purpose
    }
}
