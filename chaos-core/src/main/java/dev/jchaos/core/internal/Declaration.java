package dev.jchaos.core.internal;

import dev.jchaos.core.internal.agent.WovenCode;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MutableCallSite;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * One woven method of a point, in one class loader: its call sites, and what an injected {@code throw} needs to know
 * (the class, its loader, the checked exceptions it declares). Holds the loader and class weakly, so a web
 * application's loader can go once it is undeployed.
 */
public final class Declaration {

    final Point point;
    /** The call sites' key in the hub. */
    final String key;
    /** {@code fqcn#method}. */
    final String method;
    final String className;
    /** Binary names of the checked exceptions the method declares. */
    final List<String> exceptions;
    final MutableCallSite enterSite = new MutableCallSite(Point.NOOP_ENTER);
    final MutableCallSite exitSite = new MutableCallSite(Point.NOOP_EXIT);
    private final boolean bootLoader;
    private final LoaderRef loader;
    private volatile WeakReference<Class<?>> type;
    /**
     * Built when the point is first armed, or when this method joins a point that is warm (then inside the weaver:
     * two small handle compositions, nothing loaded from the application); a race builds an equal one twice.
     */
    private volatile MethodHandle enter;
    private volatile MethodHandle armedExit;

    Declaration(Point point, long number, String method, String className, ClassLoader loader,
                List<String> exceptions, ReferenceQueue<ClassLoader> gone) {
        this.point = point;
        this.key = WovenCode.KEY_PREFIX + number;
        this.method = method;
        this.className = className;
        this.exceptions = List.copyOf(exceptions);
        this.bootLoader = loader == null;
        this.loader = new LoaderRef(loader, gone, this);
    }

    /** This method's entry while its point is warm (see {@link Point#switchTo}). */
    MethodHandle armedEnter() {
        MethodHandle h = enter;
        if (h == null) {
            enter = h = Activation.enterOf(this);
        }
        return h;
    }

    /** This method's exit while any activation is armed. */
    MethodHandle armedExit() {
        MethodHandle h = armedExit;
        if (h == null) {
            armedExit = h = Activation.exitOf(this);
        }
        return h;
    }

    /** The declaring class's loader; null for the bootstrap loader or when it is gone (see {@link #gone()}). */
    ClassLoader loader() {
        return loader.get();
    }

    /** Whether the declaring class's loader was collected: the method can never run again. */
    boolean gone() {
        return !bootLoader && loader.get() == null;
    }

    /** The declaring class, once it is defined; null when it cannot be found. */
    Class<?> type() {
        WeakReference<Class<?>> ref = type;
        Class<?> t = ref == null ? null : ref.get();
        if (t == null && !gone()) {
            try {
                t = Class.forName(className, false, loader());
                type = new WeakReference<>(t);
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }
        return t;
    }

    /** The weak reference to the declaring loader, queued when the loader is collected. */
    static final class LoaderRef extends WeakReference<ClassLoader> {
        final Declaration declaration;

        LoaderRef(ClassLoader loader, ReferenceQueue<ClassLoader> queue, Declaration declaration) {
            super(loader, loader == null ? null : queue);
            this.declaration = declaration;
        }
    }

    @Override
    public String toString() {
        return method;
    }
}
