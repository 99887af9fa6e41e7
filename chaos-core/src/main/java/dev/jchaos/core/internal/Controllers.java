package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosController;
import dev.jchaos.core.Timeouts;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Which copy of jchaos is the JVM's controller, as this copy sees it. When another copy controls the JVM (found
 * through the hub), this copy is a view of it and creates no engine of its own: it starts no thread, registers
 * nothing and applies no property. Otherwise this copy's engine serves.
 */
public final class Controllers {

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static volatile Map<String, Object> foreignOps;
    private static volatile ForeignController controller;
    private static volatile ForeignTimeouts timeouts;
    private static volatile ForeignTelemetry telemetry;
    private static volatile long nextLook;

    private Controllers() {
    }

    /** The JVM's controller. */
    public static ChaosController controller() {
        Map<String, Object> ops = foreign();
        if (ops == null) {
            return Engine.get();
        }
        ForeignController c = controller;
        if (c == null) {
            c = new ForeignController(ops);
            controller = c;
        }
        return c;
    }

    /** Where timeouts are counted: the controlling copy's tracker. */
    public static Timeouts timeouts() {
        Map<String, Object> ops = foreign();
        if (ops == null) {
            return TimeoutTracker.get();
        }
        ForeignTimeouts t = timeouts;
        if (t == null) {
            t = new ForeignTimeouts(ops);
            timeouts = t;
        }
        return t;
    }

    /** Race watching: the controlling copy's. */
    public static dev.jchaos.core.Races races() {
        Map<String, Object> ops = foreign();
        return ops == null ? dev.jchaos.core.internal.races.RaceControl.get() : new ForeignRaces(ops);
    }

    /** What the metrics read: the controlling copy's statistics. */
    public static Telemetry telemetry() {
        Map<String, Object> ops = foreign();
        if (ops == null) {
            return Engine.get();
        }
        ForeignTelemetry t = telemetry;
        if (t == null) {
            t = new ForeignTelemetry(ops);
            telemetry = t;
        }
        return t;
    }

    /** Whether some copy of jchaos (this one or another) controls this JVM through an agent. */
    public static boolean agentPresent() {
        HubLink hub = HubLink.find();
        return hub != null && hub.controller() != null;
    }

    /** The other copy's channel, or null when this copy serves (no agent yet, or this copy is the controller). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> foreign() {
        Map<String, Object> ops = foreignOps;
        if (ops != null) {
            return ops;
        }
        HubLink hub = HubLink.found();
        if (hub == null) {
            // looking up a class that is not there costs an exception: at most once a second
            long now = System.nanoTime();
            if (now - nextLook < 0) {
                return null;
            }
            nextLook = now + RECHECK_NANOS;
            hub = HubLink.find();
            if (hub == null) {
                return null;
            }
        }
        Object channel = hub.controller();
        if (channel == null || channel == Channel.own() || !(channel instanceof Supplier)) {
            return null;
        }
        Object published = ((Supplier<?>) channel).get();
        if (!(published instanceof Map)) {
            return null;
        }
        Map<String, Object> found = (Map<String, Object>) published;
        Object protocol = found.get("protocol");
        if (!(protocol instanceof Integer) || (Integer) protocol != Channel.PROTOCOL) {
            Log.warnOnce("protocol", "another copy of jchaos controls this JVM but speaks protocol " + protocol
                    + " (this copy speaks " + Channel.PROTOCOL + "); use the same jchaos version everywhere");
            return null;
        }
        foreignOps = found;
        return found;
    }
}
