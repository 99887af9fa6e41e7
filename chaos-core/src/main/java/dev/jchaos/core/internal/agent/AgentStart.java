package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.Log;

import java.lang.instrument.Instrumentation;

/** Makes this copy's engine the JVM's controller and starts weaving. */
final class AgentStart {

    private AgentStart() {
    }

    static void start(Instrumentation inst) {
        HubLink hub = HubLink.find();
        if (hub == null) {
            Log.stderr("the hub is not in the bootstrap class loader; chaos is off");
            return;
        }
        Instrumentation first = hub.instrumentation();
        if (!Engine.get().attach(hub, Weaver::start, first != null ? first : inst)) {
            Log.info("another copy of jchaos already controls this JVM; this one defers to it");
        }
    }
}
