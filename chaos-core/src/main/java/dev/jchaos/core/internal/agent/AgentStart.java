package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.jmx.JmxRegistration;

import java.lang.instrument.Instrumentation;

/** Makes this copy's engine the JVM's controller, starts weaving, and arranges the MBean. */
public final class AgentStart {

    private AgentStart() {
    }

    /**
     * Attaches this copy's engine with {@code inst}. On return the properties are applied and the MBean is there for
     * anyone who obtains the platform MBean server (registered now if the server exists, else the moment it is
     * created).
     */
    public static void start(Instrumentation inst, boolean atStartUp) {
        HubLink hub = HubLink.find();
        if (hub == null) {
            Log.stderr("the hub is not in the bootstrap class loader; chaos is off");
            return;
        }
        Engine engine = Engine.get();
        if (!engine.attach(hub, Weaver::start, inst)) {
            Log.info("another copy of jchaos already controls this JVM; this one defers to it");
            return;
        }
        if (engine.jmxWanted()) {
            JmxRegistration.arrange(engine, hub);
        }
    }
}
