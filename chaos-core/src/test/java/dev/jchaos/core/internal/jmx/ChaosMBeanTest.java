package dev.jchaos.core.internal.jmx;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.Program;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.JMX;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ChaosMBeanTest {

    private final Engine engine = Engine.standalone();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final ObjectName name = name();

    @AfterEach
    void cleanUp() {
        engine.deactivateAll();
    }

    private static ObjectName name() {
        try {
            return new ObjectName(ChaosMBean.NAME);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MBean of the test's engine, announcing its changes, as JmxRegistration wires it. */
    private ChaosMBean bean() {
        ChaosMBean bean = new ChaosMBean(engine, dev.jchaos.core.internal.races.RaceControl.get());
        engine.addChangeListener(bean::emit);
        return bean;
    }

    @Test
    void operatorSeesPointsAndTogglesThemThroughTheMBeanServer() throws Exception {
        server.registerMBean(bean(), name);
        engine.register("a.B#m", "a.B#m", Program.declared(100, 0, 1.0, -1), null);
        List<Notification> notifications = new CopyOnWriteArrayList<>();
        server.addNotificationListener(name, (n, handback) -> notifications.add(n), null, null);

        server.setAttribute(name, new Attribute("Enabled", true));
        server.invoke(name, "activate", new Object[] {"a.B#*", "25%delay(50ms..300ms)"},
                new String[] {String.class.getName(), String.class.getName()});

        assertThat((Boolean) server.getAttribute(name, "Enabled")).isTrue();
        assertThat((String[]) server.getAttribute(name, "ActivePoints")).containsExactly("a.B#m=25%delay(50ms..300ms)");
        assertThat((String[]) server.getAttribute(name, "Activations")).containsExactly("a.B#*=25%delay(50ms..300ms)");
        CompositeData[] points = (CompositeData[]) server.getAttribute(name, "Points");
        assertThat(points).hasSize(1);
        assertThat(points[0].get("id")).isEqualTo("a.B#m");
        assertThat(points[0].get("actions")).isEqualTo("25%delay(50ms..300ms)");
        assertThat((Long) server.getAttribute(name, "Seed")).isEqualTo(engine.seed());

        server.invoke(name, "deactivateAll", new Object[0], new String[0]);
        assertThat((String[]) server.getAttribute(name, "ActivePoints")).isEmpty();
        assertThat(notifications).hasSize(3);
        assertThat(notifications.get(0)).isInstanceOf(AttributeChangeNotification.class);
        assertThat(notifications.get(1).getMessage()).isEqualTo("activate: a.B#*=25%delay(50ms..300ms)");
        assertThat(notifications.get(2).getType()).isEqualTo(ChaosMBean.CHANGE);
    }

    @Test
    void wrongSpecIsRejectedWithAPlainJdkExceptionAndChangesNothing() throws Exception {
        server.registerMBean(bean(), name);
        ChaosControllerMXBean proxy = JMX.newMXBeanProxy(server, name, ChaosControllerMXBean.class);
        proxy.activate("x", "delay(1ms)");
        assertThatThrownBy(() -> proxy.activate("x", "delay(10parsecs)"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown unit 'parsecs'")
                .hasMessageContaining("\"delay(10parsecs)\"");
        assertThat(engine.activations()).containsExactly(Map.entry("x", "delay(1ms)"));
    }

    @Test
    void scriptReachesTheControllerThroughARealJmxConnector() throws Exception {
        server.registerMBean(bean(), name);
        engine.register("svc.Pricing#quote", "svc.Pricing#quote", Program.declared(100, 0, 1.0, -1), null);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Registry registry = LocateRegistry.createRegistry(port);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnectorServer connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(url, null, server);
        connectorServer.start();
        try (JMXConnector connector = JMXConnectorFactory.connect(connectorServer.getAddress())) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            List<Notification> received = new CopyOnWriteArrayList<>();
            connection.addNotificationListener(name, (n, h) -> received.add(n), null, null);
            connection.setAttribute(name, new Attribute("Enabled", true));
            connection.invoke(name, "activate", new Object[] {"svc.*", "hang(5s)"},
                    new String[] {String.class.getName(), String.class.getName()});
            assertThat((String[]) connection.getAttribute(name, "ActivePoints")).containsExactly("svc.Pricing#quote=hang(5s)");
            assertThatThrownBy(() -> connection.invoke(name, "deactivate", new Object[] {"a b"},
                    new String[] {String.class.getName()}))
                    .isInstanceOfAny(RuntimeMBeanException.class, MBeanException.class, IllegalArgumentException.class)
                    .satisfies(e -> assertThat(rootMessage(e)).contains("in point pattern"));
            connection.invoke(name, "deactivateAll", new Object[0], new String[0]);
            assertThat((String[]) connection.getAttribute(name, "ActivePoints")).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        } finally {
            connectorServer.stop();
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    @Test
    void haltWhenAndTtlAreReadWriteAttributesAndABadValueChangesNothing() throws Exception {
        server.registerMBean(bean(), name);
        server.setAttribute(name, new Attribute("HaltWhen", "threads.growth > 200; timeout.rate[http:x] > 0.5"));
        assertThat(server.getAttribute(name, "HaltWhen")).isEqualTo("threads.growth>200;timeout.rate[http:x]>0.5");
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("HaltWhen", "thread.growth>2")))
                .satisfies(e -> assertThat(rootMessage(e)).contains("unknown metric 'thread.growth'")
                        .contains("column 1"));
        assertThat(server.getAttribute(name, "HaltWhen")).isEqualTo("threads.growth>200;timeout.rate[http:x]>0.5");
        server.setAttribute(name, new Attribute("HaltWhen", ""));
        assertThat(server.getAttribute(name, "HaltWhen")).isEqualTo("");

        assertThat(server.getAttribute(name, "Ttl")).isEqualTo("");
        server.setAttribute(name, new Attribute("Ttl", "90s"));
        assertThat(server.getAttribute(name, "Ttl")).isEqualTo("90s");
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("Ttl", "5 parsecs")))
                .satisfies(e -> assertThat(rootMessage(e)).contains("Ttl: "));
        assertThat(server.getAttribute(name, "Ttl")).isEqualTo("90s");
        server.setAttribute(name, new Attribute("Ttl", "0"));
        assertThat(server.getAttribute(name, "Ttl")).isEqualTo("");
    }

    @Test
    void aHaltIsAnnouncedAsADevJchaosHaltNotification() throws Exception {
        server.registerMBean(bean(), name);
        List<Notification> notifications = new CopyOnWriteArrayList<>();
        server.addNotificationListener(name, (n, handback) -> notifications.add(n), null, null);
        engine.setEnabled(true);
        engine.setHaltWhen("inflight<1");
        String breach = dev.jchaos.core.internal.EngineHooks.checkHalt(engine);

        assertThat(breach).isEqualTo("inflight 0 < 1");
        assertThat(notifications).anySatisfy(n -> {
            assertThat(n.getType()).isEqualTo(ChaosMBean.HALT);
            assertThat(n.getMessage()).isEqualTo("halted: inflight 0 < 1");
            assertThat(n.getUserData()).isEqualTo("inflight 0 < 1");
        });
        assertThat((Boolean) server.getAttribute(name, "Enabled")).isFalse();
    }

    @Test
    void threadsOperationGroupsThisJvmsThreadsPprofStyle() throws Exception {
        server.registerMBean(bean(), name);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        List<Thread> parked = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread t = new Thread(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "mbean-test-parked-" + i);
            t.setDaemon(true);
            t.start();
            parked.add(t);
        }
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> parked.stream()
                    .allMatch(t -> t.getState() == Thread.State.WAITING));
            String dump = (String) server.invoke(name, "threads", new Object[0], new String[0]);
            assertThat(dump).containsPattern("^\\d+ threads in \\d+ groups; start sites ")
                    .contains("  5 @ WAITING  [mbean-test-parked-0, mbean-test-parked-1, mbean-test-parked-2, "
                            + "mbean-test-parked-3, mbean-test-parked-4]")
                    .contains("java.util.concurrent.CountDownLatch.await(CountDownLatch.java:");
        } finally {
            parked.forEach(Thread::interrupt);
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}
