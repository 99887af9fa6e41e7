package dev.jchaos.core.metrics;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.Point;
import dev.jchaos.core.internal.Program;

import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The engine's test hooks, reached from this package: a standalone engine (no properties, no MBean), points
 * registered as the weaver registers them, and calls run through a point's call sites as woven code runs them.
 */
final class EngineHooks {

    private EngineHooks() {
    }

    static Engine standaloneEngine() {
        try {
            Method standalone = Engine.class.getDeclaredMethod("standalone");
            standalone.setAccessible(true);
            return (Engine) standalone.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Engine.standalone() is the engine's test hook", e);
        }
    }

    /** Registers {@code id} as an {@code @InjectDelay} with default attributes would. */
    static Point register(Engine engine, String id) {
        return engine.register(id, "dev.jchaos.core.metrics.Demo#" + id, Program.declared(100, 0, 1.0, -1),
                EngineHooks.class.getClassLoader());
    }

    /**
     * One call of a woven method whose body throws {@code bodyThrows} (or returns when null): the entry call site,
     * the body, the exit call site. An injected throw leaves from the entry, as it does in woven code.
     */
    static void call(Point point, Throwable bodyThrows) throws Throwable {
        site(point, "enterSite").getTarget().invokeExact();
        site(point, "exitSite").getTarget().invokeExact(bodyThrows);
        if (bodyThrows != null) {
            throw bodyThrows;
        }
    }

    private static MutableCallSite site(Point point, String name) {
        try {
            Method declarations = Point.class.getDeclaredMethod("declarations");
            declarations.setAccessible(true);
            Object first = ((java.util.List<?>) declarations.invoke(point)).get(0);
            Field field = first.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return (MutableCallSite) field.get(first);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Declaration." + name + " is the engine's test hook", e);
        }
    }
}
