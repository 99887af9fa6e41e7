package dev.jchaos.core.internal.boot;

import java.util.function.Consumer;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * Registers the controller's MBean the moment the JVM creates its platform MBean server, so the MBean is never absent
 * and a JVM that never uses JMX never pays for creating the server. Installed as {@code javax.management.builder.initial}
 * in the bootstrap loader (reachable whatever the context class loader), it chains the builder that was set before it.
 */
public final class JmxHook extends MBeanServerBuilder {

    /** The system property {@code MBeanServerFactory} reads. */
    public static final String PROPERTY = "javax.management.builder.initial";

    private static volatile Consumer<Object> onPlatformServer;
    private static volatile String chained;

    private volatile MBeanServerBuilder delegate;

    /** Called by {@code MBeanServerFactory}. */
    public JmxHook() {
    }

    /**
     * Arranges for {@code callback} to receive the platform MBean server when it is created.
     *
     * @param previous the builder class set before this hook, or null
     */
    public static void arrange(Consumer<Object> callback, String previous) {
        if (previous != null && !previous.equals(JmxHook.class.getName())) {
            chained = previous;
        }
        onPlatformServer = callback;
    }

    @Override
    public MBeanServerDelegate newMBeanServerDelegate() {
        return delegate().newMBeanServerDelegate();
    }

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        MBeanServer server = delegate().newMBeanServer(defaultDomain, outer, delegate);
        Consumer<Object> callback = onPlatformServer;
        if (callback != null && outer == null && creatingPlatformServer()) {
            try {
                callback.accept(server);
            } catch (Throwable ignored) {
                // the host's JMX must work whatever happens to chaos
            }
        }
        return server;
    }

    private MBeanServerBuilder delegate() {
        MBeanServerBuilder d = delegate;
        if (d == null) {
            d = new MBeanServerBuilder();
            String name = chained;
            if (name != null) {
                try {
                    ClassLoader context = Thread.currentThread().getContextClassLoader();
                    Class<?> type = context != null ? context.loadClass(name) : Class.forName(name);
                    d = (MBeanServerBuilder) type.getConstructor().newInstance();
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // as MBeanServerFactory would, but without failing the host: the JDK's builder serves
                    System.err.println("[jchaos] could not use the MBean server builder " + name
                            + " that was set before jchaos (" + e + "); the JDK's builder is used");
                }
            }
            delegate = d;
        }
        return d;
    }

    private static boolean creatingPlatformServer() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
                f.getClassName().equals("java.lang.management.ManagementFactory")
                        && f.getMethodName().equals("getPlatformMBeanServer")));
    }
}
