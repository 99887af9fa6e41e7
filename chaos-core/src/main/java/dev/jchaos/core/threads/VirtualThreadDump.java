package dev.jchaos.core.threads;

import dev.jchaos.core.internal.threads.LiveThreads;

import java.util.List;

/**
 * The virtual threads alive in this JVM, which {@link Thread#getAllStackTraces()} and the thread MXBean do not show:
 * read from the JDK's own JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}) on JDK 21 and later.
 */
public final class VirtualThreadDump {

    private VirtualThreadDump() {
    }

    /** Whether this JVM can have virtual threads to show (JDK 21+). */
    public static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * Every virtual thread alive now, with its state and stack; empty before JDK 21.
     *
     * @throws IllegalStateException when the JDK's thread dump cannot be taken or read
     */
    public static List<ThreadSnapshot> capture() {
        return LiveThreads.virtualThreads(true);
    }
}
