package dev.jchaos.core.internal.jmx;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.TimeoutTracker;
import dev.jchaos.core.internal.races.RaceControl;

import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

/**
 * Puts the controller's MBean on the platform MBean server without creating the server (which costs ~140 ms of
 * start-up): registered at once when the server exists, else by the bootstrap {@code JmxHook} the moment it is
 * created. Either way no one who obtains the platform MBean server finds the MBean absent. Should the application
 * replace the builder property before creating the server, the clock thread notices the server within a second.
 */
public final class JmxRegistration {

    private JmxRegistration() {
    }

    public static void arrange(Engine engine, HubLink hub) {
        OnPlatformServer onPlatformServer = new OnPlatformServer(engine);
        hub.arrangeJmx(onPlatformServer);
        if (serverExists()) {
            onPlatformServer.accept(ManagementFactory.getPlatformMBeanServer());
            return;
        }
        TimeoutTracker.get().everySecond(onPlatformServer);
    }

    /**
     * Registers the MBean once: told by the hook when the platform server is created, and asked every second by the
     * clock whether a server appeared that the hook missed. (A class, not lambdas: it is made before {@code main}.)
     */
    private static final class OnPlatformServer implements Consumer<Object>, Runnable {
        private final Engine engine;
        private volatile boolean registered;

        OnPlatformServer(Engine engine) {
            this.engine = engine;
        }

        @Override
        public void accept(Object server) {
            synchronized (this) {
                if (registered) {
                    return;
                }
                registered = true;
            }
            ChaosMBean bean = ChaosMBean.register((MBeanServer) server, engine, RaceControl.get());
            if (bean != null) {
                engine.addChangeListener(bean::emit);
            }
        }

        @Override
        public void run() {
            if (!registered && serverExists()) {
                accept(ManagementFactory.getPlatformMBeanServer());
            }
        }
    }

    /** Whether an MBean server was created (the platform one is, by {@code MBeanServerFactory}); creates none. */
    private static boolean serverExists() {
        return !MBeanServerFactory.findMBeanServer(null).isEmpty();
    }
}
