package dev.jchaos.sample;

import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.HashMap;
import java.util.Map;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * Turns chaos on and off the way an operator does: through a JMX connector (RMI, bound to loopback only) and the
 * {@code dev.jchaos:type=ChaosController} MBean, never through the Java API.
 */
final class JmxOperator implements AutoCloseable {

    static final String CONTROLLER = "dev.jchaos:type=ChaosController";
    /** The notification a halt condition sends when it pulls the kill switch. */
    static final String HALT = "dev.jchaos.halt";

    private final JMXConnectorServer server;
    private final JMXConnector connector;
    private final MBeanServerConnection connection;
    private final ObjectName controller;

    private JmxOperator(JMXConnectorServer server, JMXConnector connector) throws IOException {
        this.server = server;
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
        try {
            this.controller = new ObjectName(CONTROLLER);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens a JMX connector server on a free loopback port for this JVM's platform MBean server and connects to
     * it as a remote client would.
     *
     * @throws IllegalStateException when the connector cannot be opened or the controller MBean is missing
     */
    static JmxOperator connectLoopback() {
        if (System.getProperty("java.rmi.server.hostname") == null) {
            // The RMI stub carries this host name; loopback keeps every JMX byte on this machine.
            System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        }
        ChaosBridge.awaitControllerMBean(java.time.Duration.ofSeconds(10));
        JMXConnectorServer server = null;
        try {
            Map<String, Object> env = new HashMap<>();
            env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new LoopbackSockets());
            server = JMXConnectorServerFactory.newJMXConnectorServer(
                    new JMXServiceURL("service:jmx:rmi://127.0.0.1:0"), env,
                    ManagementFactory.getPlatformMBeanServer());
            server.start();
            JMXConnector connector = JMXConnectorFactory.connect(server.getAddress());
            JmxOperator operator = new JmxOperator(server, connector);
            if (!operator.connection.isRegistered(operator.controller)) {
                operator.close();
                throw new IllegalStateException("no " + CONTROLLER + " MBean in this JVM: start with "
                        + "-javaagent:chaos-core-<version>-agent.jar or let the experiment self-attach");
            }
            return operator;
        } catch (IOException e) {
            if (server != null) {
                try {
                    server.stop();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("cannot open a JMX connector on loopback: " + e.getMessage(), e);
        }
    }

    /** The connector's address, for jconsole. */
    String address() {
        return server.getAddress().toString();
    }

    /** Sets the controller's master switch. */
    void setEnabled(boolean enabled) {
        try {
            connection.setAttribute(controller, new Attribute("Enabled", enabled));
        } catch (Exception e) {
            throw new IllegalStateException("JMX: cannot set Enabled=" + enabled + ": " + e, e);
        }
    }

    /** Sets the controller's {@code HaltWhen} attribute. */
    void setHaltWhen(String conditions) {
        try {
            connection.setAttribute(controller, new Attribute("HaltWhen", conditions));
        } catch (Exception e) {
            throw new IllegalStateException("JMX: cannot set HaltWhen=" + conditions + ": " + e, e);
        }
    }

    /** Calls {@code listener} with the breach of each {@code dev.jchaos.halt} notification the controller sends. */
    void onHalt(java.util.function.Consumer<String> listener) {
        try {
            connection.addNotificationListener(controller, (notification, handback) -> {
                if (HALT.equals(notification.getType())) {
                    listener.accept(String.valueOf(notification.getUserData()));
                }
            }, null, null);
        } catch (Exception e) {
            throw new IllegalStateException("JMX: cannot listen to the controller's notifications: " + e, e);
        }
    }

    /** Invokes {@code activate(pattern, actions)}. */
    void activate(String pattern, String actions) {
        invoke("activate", new Object[] {pattern, actions}, new String[] {String.class.getName(), String.class.getName()});
    }

    /** Invokes {@code deactivateAll()}, the kill switch. */
    void deactivateAll() {
        invoke("deactivateAll", new Object[0], new String[0]);
    }

    /** The {@code ActivePoints} attribute. */
    String[] activePoints() {
        try {
            return (String[]) connection.getAttribute(controller, "ActivePoints");
        } catch (Exception e) {
            throw new IllegalStateException("JMX: cannot read ActivePoints: " + e, e);
        }
    }

    /**
     * Threads inside a delay or hang right now, per point id, from the {@code Points} attribute; null when the
     * attribute's items carry no {@code id} and {@code inFlight}.
     */
    Map<String, Integer> inFlightByPoint() {
        try {
            Object value = connection.getAttribute(controller, "Points");
            Map<String, Integer> inFlight = new HashMap<>();
            if (value instanceof CompositeData[] points) {
                for (CompositeData point : points) {
                    if (!point.containsKey("id") || !point.containsKey("inFlight")) {
                        return null;
                    }
                    Object id = point.get("id");
                    Object count = point.containsKey("inFlight") ? point.get("inFlight") : null;
                    if (id != null && count instanceof Number number) {
                        inFlight.put(id.toString(), number.intValue());
                    }
                }
            }
            return inFlight;
        } catch (Exception e) {
            throw new IllegalStateException("JMX: cannot read Points: " + e, e);
        }
    }

    private void invoke(String operation, Object[] args, String[] signature) {
        try {
            connection.invoke(controller, operation, args, signature);
        } catch (javax.management.RuntimeMBeanException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("JMX " + operation + " refused: " + cause.getMessage(), cause);
        } catch (javax.management.MBeanException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("JMX " + operation + " refused: " + cause.getMessage(), cause);
        } catch (Exception e) {
            throw new IllegalStateException("JMX " + operation + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the server side goes next either way
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop the JMX connector server: " + e.getMessage(), e);
        }
    }

    /** Server sockets on the loopback address only; equal instances let RMI share one listening port. */
    private static final class LoopbackSockets implements RMIServerSocketFactory, Serializable {

        private static final long serialVersionUID = 1L;

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackSockets.class.hashCode();
        }
    }
}
