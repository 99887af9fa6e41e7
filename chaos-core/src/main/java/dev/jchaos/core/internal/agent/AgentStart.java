package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.Targeting;
import dev.jchaos.core.internal.jmx.JmxRegistration;
import dev.jchaos.core.internal.threads.ThreadSites;

import java.lang.instrument.Instrumentation;
import java.util.function.BiFunction;

/** Makes this copy's engine the JVM's controller, starts weaving, and arranges the MBean. */
public final class AgentStart {

    /** The agent option that records thread start sites. */
    public static final String THREAD_SITES = "threadSites";
    /** Set by the controlling copy once it runs: the jchaos version. */
    public static final String LOADED_PROPERTY = "jchaos.agent";

    private AgentStart() {
    }

    private static boolean hasOption(String args, String option) {
        if (args == null) {
            return false;
        }
        for (String part : args.split(",")) {
            if (part.strip().equals(option)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link Weaver#start}, as the engine asks for it (a class: a lambda would be spun before {@code main}): at
     * start-up the weaver waits for chaos to be used, after an attach it begins at once.
     */
    private static final class StartWeaving implements BiFunction<Engine, Instrumentation, Targeting> {
        private final boolean atStartUp;

        StartWeaving(boolean atStartUp) {
            this.atStartUp = atStartUp;
        }

        @Override
        public Targeting apply(Engine engine, Instrumentation inst) {
            return Weaver.start(engine, inst, !atStartUp);
        }
    }

    /** This jar's version, from its manifest, or {@code unknown}. */
    public static String version() {
        String v = AgentStart.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /**
     * Attaches this copy's engine with {@code inst}. On return the properties are applied and the MBean is there for
     * anyone who obtains the platform MBean server (registered now if the server exists, else the moment it is
     * created).
     */
    public static void start(Instrumentation inst, boolean atStartUp) {
        start(inst, atStartUp, null);
    }

    /**
     * As {@link #start(Instrumentation, boolean)}, with the agent's argument: comma-separated options, of which
     * {@value #THREAD_SITES} records thread start sites as property {@code jchaos.threadSites=true} does (the command
     * line's attach passes it).
     */
    public static void start(Instrumentation inst, boolean atStartUp, String args) {
        HubLink hub = HubLink.find();
        if (hub == null) {
            Log.stderr("the hub is not in the bootstrap class loader; chaos is off");
            return;
        }
        Engine engine = Engine.get();
        if (engine.isAttached()) {
            // this copy already controls the JVM (the command line's attach on a JVM that has jchaos): a second
            // load only adds what its argument asks for
            if (hasOption(args, THREAD_SITES)) {
                ThreadSites.start();
            }
            return;
        }
        if (!engine.attach(hub, new StartWeaving(atStartUp), inst)) {
            Log.info("another copy of jchaos already controls this JVM; this one defers to it");
            return;
        }
        if (engine.threadSitesWanted() || hasOption(args, THREAD_SITES)) {
            ThreadSites.start();
        }
        if (engine.jmxWanted()) {
            JmxRegistration.arrange(engine, hub);
        }
        // lets the command line's list tell which JVMs jchaos controls without loading anything into them
        System.setProperty(LOADED_PROPERTY, version());
    }
}
