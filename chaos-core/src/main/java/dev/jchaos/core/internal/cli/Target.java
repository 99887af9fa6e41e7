package dev.jchaos.core.internal.cli;

import java.util.List;
import java.util.Map;

/**
 * One JVM the command line operates, reached by pid (attach and its local JMX agent) or through Jolokia. Values come
 * back as the command line shows them: booleans, strings, lists of strings, and points as maps of strings.
 */
interface Target extends AutoCloseable {

    /** The MBean every command talks to. */
    String CONTROLLER = "dev.jchaos:type=ChaosController";

    /** How lines about this JVM start: {@code pid 4242} or the Jolokia URL. */
    String name();

    /** Attribute values by name, read in one go. */
    Map<String, Object> read(List<String> attributes);

    void write(String attribute, Object value);

    /** Invokes an operation that takes strings; returns its result as shown. */
    Object exec(String operation, String... arguments);

    /** This JVM's threads grouped pprof style. */
    String threads();

    @Override
    void close();

    /** The JVM could not be reached or cannot be operated; the message says why. Exit status 1. */
    final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The JVM refused the input (a method that does not exist, a checked exception it may not throw). Exit 2. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
