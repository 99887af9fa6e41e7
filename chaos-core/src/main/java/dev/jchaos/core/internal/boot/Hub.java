package dev.jchaos.core.internal.boot;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place every woven method reaches, whatever its class loader: the agent defines this class in the
 * bootstrap loader, and woven code links its {@code invokedynamic} to the per-point call sites kept here.
 *
 * <p>It depends on the JDK only and is never loaded from jchaos's own jar by name: the engine reaches it through
 * {@code Class.forName(name, true, null)}, so there is exactly one copy per JVM. A dormant point's call site targets
 * an empty method handle, which the JIT folds away.
 */
public final class Hub {

    private static final MethodType ENTER_TYPE = MethodType.methodType(void.class);
    private static final MethodType EXIT_TYPE = MethodType.methodType(void.class, Throwable.class);
    private static final MethodHandle NOOP_ENTER = MethodHandles.empty(ENTER_TYPE);
    private static final MethodHandle NOOP_EXIT = MethodHandles.empty(EXIT_TYPE);

    private static final ConcurrentHashMap<String, MutableCallSite> ENTER = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, MutableCallSite> EXIT = new ConcurrentHashMap<>();

    /** The instrumentation of the first agent start in this JVM. */
    public static volatile Instrumentation instrumentation;

    /**
     * The command channel of the jchaos copy that controls this JVM (a {@code BiFunction<String, Object[], Object>});
     * other copies of jchaos in other class loaders talk to it through JDK types only.
     */
    public static volatile Object controller;

    private Hub() {
    }

    /** The {@code invokedynamic} bootstrap of woven code: {@code enter()V} and {@code exit(Throwable)V}. */
    public static CallSite link(MethodHandles.Lookup caller, String name, MethodType type, String pointId) {
        if ("enter".equals(name) && ENTER_TYPE.equals(type)) {
            return enterSite(pointId);
        }
        if ("exit".equals(name) && EXIT_TYPE.equals(type)) {
            return exitSite(pointId);
        }
        // an unknown shape must never break the host: link it to nothing
        return new ConstantCallSite(MethodHandles.empty(type));
    }

    /** The call site run on entry to every method of point {@code id}. */
    public static MutableCallSite enterSite(String id) {
        MutableCallSite site = ENTER.get(id);
        if (site == null) {
            MutableCallSite created = new MutableCallSite(NOOP_ENTER);
            site = ENTER.putIfAbsent(id, created);
            if (site == null) {
                site = created;
            }
        }
        return site;
    }

    /** The call site run on exit, normal or exceptional, from every method of point {@code id}. */
    public static MutableCallSite exitSite(String id) {
        MutableCallSite site = EXIT.get(id);
        if (site == null) {
            MutableCallSite created = new MutableCallSite(NOOP_EXIT);
            site = EXIT.putIfAbsent(id, created);
            if (site == null) {
                site = created;
            }
        }
        return site;
    }

    /** Entry for class files too old for {@code invokedynamic} (before Java 7). */
    public static void legacyEnter(String id) {
        try {
            enterSite(id).getTarget().invokeExact();
        } catch (Throwable t) {
            throw Hub.<RuntimeException>sneaky(t);
        }
    }

    /** Exit for class files too old for {@code invokedynamic} (before Java 7). */
    public static void legacyExit(String id, Throwable thrown) {
        try {
            exitSite(id).getTarget().invokeExact(thrown);
        } catch (Throwable t) {
            throw Hub.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
