package dev.jchaos.core.internal;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.invoke.VarHandle;

/**
 * The engine's view of the bootstrap {@code Hub}, reached reflectively so that no class loader but the bootstrap
 * one ever loads it.
 */
public final class HubLink {

    public static final String HUB = "dev.jchaos.core.internal.boot.Hub";

    private static volatile HubLink found;

    private final Class<?> hub;
    private final MethodHandle enterSite;
    private final MethodHandle exitSite;
    private final VarHandle instrumentation;
    private final VarHandle controller;

    private HubLink(Class<?> hub) throws ReflectiveOperationException {
        this.hub = hub;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.enterSite = lookup.findStatic(hub, "enterSite", MethodType.methodType(MutableCallSite.class, String.class));
        this.exitSite = lookup.findStatic(hub, "exitSite", MethodType.methodType(MutableCallSite.class, String.class));
        this.instrumentation = lookup.findStaticVarHandle(hub, "instrumentation", Instrumentation.class);
        this.controller = lookup.findStaticVarHandle(hub, "controller", Object.class);
    }

    /** The hub in the bootstrap loader, or null when no agent has started in this JVM. */
    public static HubLink find() {
        HubLink link = found;
        if (link != null) {
            return link;
        }
        try {
            Class<?> hub = Class.forName(HUB, true, null);
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

    public Class<?> hubClass() {
        return hub;
    }

    MutableCallSite enterSite(String id) {
        try {
            return (MutableCallSite) enterSite.invokeExact(id);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    MutableCallSite exitSite(String id) {
        try {
            return (MutableCallSite) exitSite.invokeExact(id);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public Instrumentation instrumentation() {
        return (Instrumentation) instrumentation.getVolatile();
    }

    public void setInstrumentationIfAbsent(Instrumentation inst) {
        instrumentation.compareAndSet((Instrumentation) null, inst);
    }

    public Object controller() {
        return controller.getVolatile();
    }

    boolean claimController(Object channel) {
        return controller.compareAndSet((Object) null, channel);
    }
}
