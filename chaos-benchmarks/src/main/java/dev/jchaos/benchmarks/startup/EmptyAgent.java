package dev.jchaos.benchmarks.startup;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * An agent that does nothing: what {@code -javaagent} alone costs the JVM (opening a jar before {@code main}, and the
 * JDK giving up its archived module graph), apart from anything an agent does. With the argument
 * {@value #TRANSFORM} it registers a retransformation-capable transformer that changes nothing: what the JVM charges
 * for handing every class it loads to a Java transformer, which any agent that weaves classes as they load pays. With
 * {@value #TRANSFORM_PLAIN} the same transformer is not retransformation-capable, so the JVM keeps no copy of the
 * class files it hands over: what is left of that charge for an agent that never retransforms.
 * {@link StartupComparison} packs it into jars of its own.
 */
public final class EmptyAgent {

    /** The agent argument that registers the transformer. */
    public static final String TRANSFORM = "transform";
    /** The agent argument that registers the transformer as one that cannot retransform. */
    public static final String TRANSFORM_PLAIN = "transform-plain";

    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        if (TRANSFORM.equals(args)) {
            inst.addTransformer(new Unchanged(), true);
        } else if (TRANSFORM_PLAIN.equals(args)) {
            inst.addTransformer(new Unchanged(), false);
        }
    }

    private static final class Unchanged implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                ProtectionDomain domain, byte[] bytes) {
            return null;
        }
    }
}
