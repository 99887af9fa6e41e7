package dev.jchaos.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/** Creates the exceptions of {@code throw(fqcn[,message])}, resolved in the woven code's class loaders. */
final class Throwables {

    /** Makes one exception per injected throw; returns null when it cannot. */
    interface Factory {
        Throwable create();
    }

    private Throwables() {
    }

    /** The class named {@code name} as the first of {@code loaders} that knows it sees it, or null. */
    static Class<? extends Throwable> resolve(String name, List<ClassLoader> loaders) {
        for (ClassLoader loader : loaders) {
            try {
                Class<?> type = Class.forName(name, false, loader);
                if (Throwable.class.isAssignableFrom(type)) {
                    return type.asSubclass(Throwable.class);
                }
                return null;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }

    /**
     * Why {@code throw(name, message)} cannot work with any of {@code loaders}, or null when it can.
     */
    static String problem(String name, String message, List<ClassLoader> loaders) {
        for (ClassLoader loader : loaders) {
            try {
                Class<?> type = Class.forName(name, false, loader);
                if (!Throwable.class.isAssignableFrom(type)) {
                    return name + " is not a Throwable";
                }
                if (constructor(type.asSubclass(Throwable.class), message) == null) {
                    return name + " has no public constructor taking " + (message == null ? "nothing or a message" : "a message");
                }
                return null;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return "exception class " + name + " not found";
    }

    static Factory factory(Task task, List<ClassLoader> loaders) {
        Class<? extends Throwable> type = resolve(task.exceptionClass, loaders);
        MethodHandle ctor = type == null ? null : constructor(type, task.message);
        if (ctor == null) {
            Log.warnOnce("throw:" + task.exceptionClass, "cannot create " + task.exceptionClass
                    + " for throw(..) here; calls pass through untouched");
            return () -> null;
        }
        boolean takesMessage = ctor.type().parameterCount() > 0;
        String message = task.message;
        return () -> {
            try {
                Throwable t = takesMessage ? (Throwable) ctor.invoke(message) : (Throwable) ctor.invoke();
                trim(t);
                return t;
            } catch (Throwable failure) {
                Log.warnOnce("throw-ctor:" + task.exceptionClass, "constructor of " + task.exceptionClass
                        + " failed: " + failure + "; calls pass through untouched");
                return null;
            }
        };
    }

    private static MethodHandle constructor(Class<? extends Throwable> type, String message) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            return lookup.findConstructor(type, MethodType.methodType(void.class, String.class));
        } catch (ReflectiveOperationException e) {
            if (message != null) {
                return null;
            }
        }
        try {
            return lookup.findConstructor(type, MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Drops jchaos's own frames so the exception appears thrown by the woven method. */
    private static void trim(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        List<StackTraceElement> kept = new ArrayList<>(frames.length);
        boolean leading = true;
        for (StackTraceElement frame : frames) {
            String cls = frame.getClassName();
            if (leading && (cls.startsWith("dev.jchaos.core.internal.") || cls.startsWith("java.lang.invoke.")
                    || cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.reflect.")
                    || cls.equals(t.getClass().getName()))) {
                continue;
            }
            leading = false;
            kept.add(frame);
        }
        t.setStackTrace(kept.toArray(new StackTraceElement[0]));
    }
}
