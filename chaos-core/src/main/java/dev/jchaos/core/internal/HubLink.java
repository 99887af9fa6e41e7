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
    private static volatile HubLink found;

    private final Class<?> hub;
    private final MethodHandle publish;
    private final MethodHandle withdraw;
    private final MethodHandle claim;
    private final MethodHandle controller;
    private final MethodHandle take;

    private HubLink(Class<?> hub) throws ReflectiveOperationException {
        this.hub = hub;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.publish = lookup.findStatic(hub, "publish",
                MethodType.methodType(void.class, String.class, MutableCallSite.class, MutableCallSite.class));
        this.withdraw = lookup.findStatic(hub, "withdraw", MethodType.methodType(void.class, String.class));
        this.claim = lookup.findStatic(hub, "claim", MethodType.methodType(boolean.class, Object.class));
        this.controller = lookup.findStatic(hub, "controller", MethodType.methodType(Object.class));
        this.take = lookup.findStatic(hub, "take", MethodType.methodType(Instrumentation.class, String.class));
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
            publish.invokeExact(key, enter, exit);
        } catch (Throwable t) {
            throw new IllegalStateException("could not publish call sites to the jchaos hub", t);
        }
    }

    void withdraw(String key) {
        try {
            withdraw.invokeExact(key);
        } catch (Throwable t) {
            Log.warnOnce("hub-withdraw", "could not withdraw call sites from the jchaos hub: " + t);
        }
    }

    /** The controlling copy's channel, or null. */
    public Object controller() {
        try {
            return (Object) controller.invokeExact();
        } catch (Throwable t) {
            return null;
        }
    }

    boolean claim(Object channel) {
        try {
            return (boolean) claim.invokeExact(channel);
        } catch (Throwable t) {
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
            return (Instrumentation) take.invokeExact(token);
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
            String property = (String) hook.getField("PROPERTY").get(null);
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
