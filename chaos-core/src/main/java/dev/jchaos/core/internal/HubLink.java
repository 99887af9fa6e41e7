package dev.jchaos.core.internal;

import dev.jchaos.core.internal.agent.WovenCode;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.function.Consumer;

/**
 * jchaos's view of the bootstrap {@code Hub} (and its {@code JmxHook}), reached reflectively so that no class loader
 * but the bootstrap one ever loads them.
 */
public final class HubLink {

    private static final String JMX_HOOK = "dev.jchaos.core.internal.boot.JmxHook";
    /** The JDK's property naming the platform MBean server's builder. */
    private static final String MBEAN_SERVER_BUILDER = "javax.management.builder.initial";
    private static volatile HubLink found;

    /** The hub's methods reached through handles, by index: their names and types. */
    private static final int PUBLISH = 0;
    private static final int WITHDRAW = 1;
    private static final int CONTROLLER = 2;
    private static final int TAKE = 3;
    private static final String[] NAMES = {"publish", "withdraw", "controller", "take"};
    private static final MethodType[] TYPES = {
        MethodType.methodType(void.class, String.class, MutableCallSite.class, MutableCallSite.class),
        MethodType.methodType(void.class, String.class),
        MethodType.methodType(Object.class),
        MethodType.methodType(Instrumentation.class, String.class),
    };

    private final Class<?> hub;
    /**
     * Looked up when first used: each handle makes the JVM generate code for its shape, and at agent start none is
     * needed (claim is made once, by reflection). A handle is immutable, so a race only looks one up twice.
     */
    private final MethodHandle[] handles = new MethodHandle[NAMES.length];

    private HubLink(Class<?> hub) throws ReflectiveOperationException {
        this.hub = hub;
        // fails now, not at first use, when the bootstrap class is not the hub this copy knows
        for (int i = 0; i < NAMES.length; i++) {
            hub.getMethod(NAMES[i], TYPES[i].parameterArray());
        }
        hub.getMethod("claim", Object.class);
    }

    private MethodHandle handle(int which) throws ReflectiveOperationException {
        MethodHandle h = handles[which];
        if (h == null) {
            h = MethodHandles.publicLookup().findStatic(hub, NAMES[which], TYPES[which]);
            handles[which] = h;
        }
        return h;
    }

    /** The hub in the bootstrap loader, or null when no jchaos agent has started in this JVM. */
    public static HubLink find() {
        HubLink link = found;
        if (link != null) {
            return link;
        }
        try {
            Class<?> hub = Class.forName(WovenCode.HUB, false, null);
            link = new HubLink(hub);
            found = link;
            return link;
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            Log.warnOnce("hub-link", "the jchaos hub in the bootstrap loader is unusable: " + e);
            return null;
        }
    }

    /** The hub if it was found before, without looking again. */
    static HubLink found() {
        return found;
    }

    /** The bootstrap hub class itself: woven classes must resolve exactly this one. */
    public Class<?> hubClass() {
        return hub;
    }

    void publish(String key, MutableCallSite enter, MutableCallSite exit) {
        try {
            handle(PUBLISH).invokeExact(key, enter, exit);
        } catch (Throwable t) {
            throw new IllegalStateException("could not publish call sites to the jchaos hub", t);
        }
    }

    void withdraw(String key) {
        try {
            handle(WITHDRAW).invokeExact(key);
        } catch (Throwable t) {
            Log.warnOnce("hub-withdraw", "could not withdraw call sites from the jchaos hub: " + t);
        }
    }

    /** The controlling copy's channel, or null. */
    public Object controller() {
        try {
            return (Object) handle(CONTROLLER).invokeExact();
        } catch (Throwable t) {
            return null;
        }
    }

    /** Called once, at agent start: by reflection, which on JDK 17 costs less there than a first method handle. */
    boolean claim(Object channel) {
        try {
            return (boolean) hub.getMethod("claim", Object.class).invoke(null, channel);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Makes {@code linker} the one that links watched collection call sites; the first claim wins. */
    public boolean claimRaceLinker(java.util.function.Function<Object[], java.lang.invoke.CallSite> linker) {
        try {
            return (boolean) hub.getMethod("claimRaceLinker", java.util.function.Function.class).invoke(null, linker);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnOnce("race-linker", "could not link watched call sites: " + e);
            return false;
        }
    }

    /** The instrumentation a hand-off agent left under {@code token}, once. */
    public Instrumentation take(String token) {
        try {
            return (Instrumentation) handle(TAKE).invokeExact(token);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Installs the bootstrap {@code JmxHook} as the platform's MBean server builder (chaining any builder set
     * before), so {@code onPlatformServer} receives the platform MBean server when it is created.
     */
    public void arrangeJmx(Consumer<Object> onPlatformServer) {
        try {
            Class<?> hook = Class.forName(JMX_HOOK, false, null);
            String property = MBEAN_SERVER_BUILDER; // JmxHook.PROPERTY; a reflective read would cost a field accessor
            String previous = System.getProperty(property);
            hook.getMethod("arrange", Consumer.class, String.class).invoke(null, onPlatformServer, previous);
            if (!JMX_HOOK.equals(previous)) {
                System.setProperty(property, JMX_HOOK);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.warnOnce("jmx-hook", "could not arrange for the MBean to appear with the platform MBean server: " + e);
        }
    }
}
