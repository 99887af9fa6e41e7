package dev.jchaos.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** jchaos's logging: {@link System.Logger} {@code dev.jchaos}, looked up lazily so the agent adds no start-up work. */
public final class Log {

    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    private static volatile System.Logger logger;

    private Log() {
    }

    private static System.Logger logger() {
        System.Logger l = logger;
        if (l == null) {
            l = System.getLogger("dev.jchaos");
            logger = l;
        }
        return l;
    }

    public static void info(String message) {
        logger().log(System.Logger.Level.INFO, "[jchaos] " + message);
    }

    public static void warn(String message) {
        logger().log(System.Logger.Level.WARNING, "[jchaos] " + message);
    }

    public static void warn(String message, Throwable t) {
        logger().log(System.Logger.Level.WARNING, "[jchaos] " + message, t);
    }

    /** Logs {@code message} the first time {@code key} is seen, never again. */
    public static void warnOnce(String key, String message) {
        if (ONCE.add(key)) {
            warn(message);
        }
    }

    /** Logs {@code message} with its cause the first time {@code key} is seen, never again. */
    public static void warnOnce(String key, String message, Throwable t) {
        if (ONCE.add(key)) {
            warn(message, t);
        }
    }

    /** A line on stderr, as the contract wants for bad settings: visible whatever logging is configured. */
    public static void stderr(String message) {
        System.err.println("[jchaos] " + message);
    }
}
