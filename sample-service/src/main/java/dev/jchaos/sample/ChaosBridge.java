package dev.jchaos.sample;

import dev.jchaos.core.Chaos;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** Makes sure this JVM has the jchaos agent and its controller MBean before anything is toggled over JMX. */
final class ChaosBridge {

    private ChaosBridge() {
    }

    /**
     * Self-attaches the agent when no {@code -javaagent} brought it, then waits for the controller's MBean.
     *
     * @throws IllegalStateException when the agent cannot be installed or the MBean does not appear
     */
    static void ensureController(PrintStream out) {
        if (!Chaos.agentInstalled()) {
            out.println("no -javaagent given: self-attaching the jchaos agent (takes a few seconds)...");
            Chaos.installAgent();
        }
        Chaos.controller();
        awaitControllerMBean(Duration.ofSeconds(10));
    }

    /**
     * Waits until the controller's MBean is registered (the agent registers it off the start-up path).
     *
     * @throws IllegalStateException when it is not there within {@code timeout}
     */
    static void awaitControllerMBean(Duration timeout) {
        ObjectName name;
        try {
            name = new ObjectName(JmxOperator.CONTROLLER);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + JmxOperator.CONTROLLER + " MBean " + timeout.toSeconds()
                        + "s after installing the agent; is -Djchaos.jmx=false set?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
