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
        Thread thread = AccessController.doPrivileged((PrivilegedAction<Thread>) () ->
                new Thread(null, body, "jchaos-" + purpose, 0, false));
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }

    /** A factory of {@link #daemon} threads, for executors. */
    public static ThreadFactory factory(String purpose) {
        return body -> daemon(purpose, body);
    }
}
