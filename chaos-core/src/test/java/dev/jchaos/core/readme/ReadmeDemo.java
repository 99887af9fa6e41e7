package dev.jchaos.core.readme;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosController;

import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** The README's examples, compiled with the build so they stay true. */
final class ReadmeDemo {

    private ReadmeDemo() {
    }

    // --- README: declare a point
    static class PricingClient {
        @InjectDelay(ms = 200, jitterMs = 100)
        Quote quote(String sku) {
            return new Quote(sku, 42);
        }
    }

    record Quote(String sku, long cents) {
    }

    // --- README: the Java API (tests)
    static void javaApi() {
        Chaos.installAgent();                       // no-op when started with -javaagent
        ChaosController chaos = Chaos.controller();
        chaos.setEnabled(true);
        chaos.activate("dev.jchaos.sample.PricingClient#quote", "25%delay(50ms..300ms)");
        chaos.activate("com.acme.Legacy#call", "3*throw(java.net.SocketTimeoutException,Read timed out)->off");
        chaos.deactivateAll();                      // the kill switch: releases every held thread
    }

    /** The operations an operator script uses; the names and signatures of {@code dev.jchaos:type=ChaosController}. */
    public interface ChaosControllerMXBean {
        boolean isEnabled();

        void setEnabled(boolean enabled);

        String[] getActivePoints();

        void activate(String pattern, String actions);

        void deactivateAll();
    }

    // --- README: a JMX client script
    static void operatorScript(String host, int port) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            ChaosControllerMXBean chaos = JMX.newMXBeanProxy(connector.getMBeanServerConnection(),
                    new ObjectName("dev.jchaos:type=ChaosController"), ChaosControllerMXBean.class);
            chaos.setEnabled(true);
            chaos.activate("*Inventory*", "delay(800ms)");
            System.out.println(String.join("\n", chaos.getActivePoints()));
            chaos.deactivateAll();
        }
    }
}
