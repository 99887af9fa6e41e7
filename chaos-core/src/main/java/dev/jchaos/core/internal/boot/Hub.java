package dev.jchaos.core.internal.boot;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The one place every woven method reaches, whatever its class loader: the agent defines this class in the bootstrap
 * loader, and woven code links its {@code invokedynamic} to the call sites the controller published here.
 *
 * <p>It depends on the JDK only and no jar holds it as a class file (it ships as a resource), so no class loader can
 * define a copy of its own: every loader that delegates to its parents reaches this one. The woven-code contract it
 * implements is described in {@code dev.jchaos.core.internal.agent.WovenCode}; a test keeps the two in step.
 *
 * <p>Nothing here throws into woven code: a call site that cannot be linked links to nothing.
 */
public final class Hub {

    private static final MethodType ENTER_TYPE = MethodType.methodType(void.class);
    private static final MethodType EXIT_TYPE = MethodType.methodType(void.class, Throwable.class);

    /** Call sites by declaration key: {enter, exit}. */
    private static final ConcurrentHashMap<String, MutableCallSite[]> SITES = new ConcurrentHashMap<>();
    /** Instrumentation handed from a self-attach agent to the copy of jchaos that asked for it, by one-time token. */
    private static final ConcurrentHashMap<String, Instrumentation> OFFERS = new ConcurrentHashMap<>();
    /** The controlling copy's command channel (JDK types only). */
    private static final AtomicReference<Object> CONTROLLER = new AtomicReference<>();
    /**
     * Links watched collection call sites: {@code Function<Object[], CallSite>} of {name, type, original, site}, set once
     * by the controlling copy.
     */
    private static final AtomicReference<Function<Object[], CallSite>> RACE_LINKER = new AtomicReference<>();

    private Hub() {
    }

    /** The {@code invokedynamic} bootstrap of woven code: {@code enter()V} and {@code exit(Throwable)V}. */
    public static CallSite link(MethodHandles.Lookup caller, String name, MethodType type, String key) {
        try {
            MutableCallSite[] sites = SITES.get(key);
            if (sites != null) {
                if ("enter".equals(name) && ENTER_TYPE.equals(type)) {
                    return sites[0];
                }
                if ("exit".equals(name) && EXIT_TYPE.equals(type)) {
                    return sites[1];
                }
            }
        } catch (Throwable ignored) {
            // fall through: never break the host
        }
        return new ConstantCallSite(MethodHandles.empty(type));
    }

    /**
     * The {@code invokedynamic} bootstrap of a watched call site (a call on a {@code java.util} collection that is not
     * thread-safe, in a class whose races are watched): {@code original} is the call that was there. Whatever
     * happens, the call site runs the original call.
     */
    public static CallSite race(MethodHandles.Lookup caller, String name, MethodType type, MethodHandle original,
                                String site) {
        try {
            Function<Object[], CallSite> linker = RACE_LINKER.get();
            if (linker != null) {
                CallSite linked = linker.apply(new Object[] {name, type, original, site});
                if (linked != null && linked.type().equals(type)) {
                    return linked;
                }
            }
        } catch (Throwable ignored) {
            // fall through: the original call, untouched
        }
        return new ConstantCallSite(original.asType(type));
    }

    /** Sets the linker of watched call sites, once. */
    public static boolean claimRaceLinker(Function<Object[], CallSite> linker) {
        return RACE_LINKER.compareAndSet(null, linker);
    }

    /** Publishes the call sites of one woven method before its class is defined. */
    public static void publish(String key, MutableCallSite enter, MutableCallSite exit) {
        SITES.put(key, new MutableCallSite[] {enter, exit});
    }

    /** Forgets the call sites of a woven method whose class loader is gone. */
    public static void withdraw(String key) {
        SITES.remove(key);
    }

    /** Entry for class files too old for {@code invokedynamic} (before Java 7); only injected faults leave it. */
    public static void legacyEnter(String key) throws Throwable {
        MutableCallSite[] sites = SITES.get(key);
        if (sites != null) {
            sites[0].getTarget().invokeExact();
        }
    }

    /** Exit for class files too old for {@code invokedynamic} (before Java 7). */
    public static void legacyExit(String key, Throwable thrown) throws Throwable {
        MutableCallSite[] sites = SITES.get(key);
        if (sites != null) {
            sites[1].getTarget().invokeExact(thrown);
        }
    }

    /** Makes {@code channel} the JVM's controller unless one is there already; the first claim wins for good. */
    public static boolean claim(Object channel) {
        return CONTROLLER.compareAndSet(null, channel);
    }

    /** The controlling copy's command channel, or null when no copy controls this JVM yet. */
    public static Object controller() {
        return CONTROLLER.get();
    }

    /** Leaves {@code inst} for the copy of jchaos that holds {@code token}. */
    public static void offer(String token, Instrumentation inst) {
        if (token != null && token.length() >= 32 && inst != null) {
            OFFERS.put(token, inst);
        }
    }

    /** Takes what was offered under {@code token}, once; null for any other token. */
    public static Instrumentation take(String token) {
        return token == null ? null : OFFERS.remove(token);
    }
}
