package dev.jchaos.core.internal;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;

/** Every thread jchaos starts: a daemon named {@code jchaos-<purpose>} that holds on to no application class loader. */
public final class Threads {

    private Threads() {
    }

    /**
     * A daemon thread {@code jchaos-<purpose>}, not started. It has no context class loader and is created in a
     * privileged block, so it inherits no access control context: either would keep the class loader of whatever
     * application code caused it to start (a web application's) alive for as long as the thread runs.
     */
    @SuppressWarnings("removal") // AccessController is what keeps JDK 17-23 from capturing the caller's context
    public static Thread daemon(String purpose, Runnable body) {
        Thread thread = AccessController.doPrivileged(new Maker(purpose, body));
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }

    /** A factory of {@link #daemon} threads, for executors. */
    public static ThreadFactory factory(String purpose) {
        return new Maker(purpose, null);
    }

    /** Both the privileged action and the factory: one small class, not lambdas spun before {@code main}. */
    private static final class Maker implements PrivilegedAction<Thread>, ThreadFactory {
        private final String purpose;
        private final Runnable body;

        Maker(String purpose, Runnable body) {
            this.purpose = purpose;
            this.body = body;
        }

        @Override
        public Thread run() {
            return new Thread(null, body, "jchaos-" + purpose, 0, false);
        }

        @Override
        public Thread newThread(Runnable r) {
            return daemon(purpose, r);
        }
    }
}
