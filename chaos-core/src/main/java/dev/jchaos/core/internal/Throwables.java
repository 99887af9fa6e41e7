package dev.jchaos.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import dev.jchaos.core.ChaosConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The exceptions of {@code throw(fqcn[,message])}: resolved in the loader of the woven class that throws them (per
 * class), and only thrown where the method may throw them (unchecked, or a checked exception it declares).
 */
final class Throwables {

    private Throwables() {
    }

    /** Makes one exception per injected throw. */
    interface Factory {
        Class<? extends Throwable> type();

        /** A new exception; null when its constructor failed (logged once). */
        Throwable create();
    }

    /** The exception of one {@code throw(..)} term, resolved per woven class and cached in that class. */
    static final class PerClass {

        private final Task task;
        private final ClassValue<Factory> byClass;
        private final ConcurrentHashMap<String, Boolean> allowed = new ConcurrentHashMap<>();

        PerClass(Task task) {
            this.task = task;
            this.byClass = new ClassValue<>() {
                @Override
                protected Factory computeValue(Class<?> woven) {
                    return factory(task, woven.getClassLoader(), woven.getName());
                }
            };
        }

        /** The exception to throw from {@code d}'s method, or null when it cannot be thrown there (logged once). */
        Throwable create(Declaration d) {
            Class<?> woven = d.type();
            Factory f = woven != null ? byClass.get(woven) : factory(task, d.loader(), d.className);
            if (f == null) {
                return null;
            }
            Boolean ok = allowed.get(d.key);
            if (ok == null) {
                String problem = undeclared(f.type(), d);
                ok = problem == null;
                allowed.put(d.key, ok);
                if (problem != null) {
                    Log.warnOnce("undeclared:" + d.key + ":" + task.exceptionClass, problem
                            + "; the call passes through untouched");
                }
            }
            return ok ? f.create() : null;
        }
    }

    /**
     * Refuses {@code throw(..)} terms of {@code program} that some woven method matching {@code glob} could not throw
     * (see {@link #problem(String, String, Declaration)}); with no such method, the class must at least exist.
     *
     * @throws ChaosConfigException naming the method and pointing at the exception class in {@code text}
     */
    static void validate(Glob glob, Program program, String text, Iterable<Point> points) {
        ChaosConfigException refused = firstRefused(program, text, task -> {
            boolean anyMethod = false;
            for (Point p : points) {
                if (!glob.matches(p.id)) {
                    continue;
                }
                for (Declaration d : p.declarations()) {
                    if (d.gone()) {
                        continue;
                    }
                    anyMethod = true;
                    String problem = problem(task.exceptionClass, task.message, d);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return anyMethod ? null : problem(task.exceptionClass, task.message, fallbackLoaders());
        });
        if (refused != null) {
            throw refused;
        }
    }

    /**
     * The first {@code throw(..)} term of {@code program} that {@code problemOf} finds a problem with, as the error
     * pointing at its exception class in {@code text}; null when there is none.
     */
    private static ChaosConfigException firstRefused(Program program, String text, Function<Task, String> problemOf) {
        if (program == null || !program.throwsAny) {
            return null;
        }
        for (Term term : program.terms) {
            Task task = term.task;
            if (task.kind != Task.Kind.THROW) {
                continue;
            }
            String problem = problemOf.apply(task);
            if (problem != null) {
                return new ChaosConfigException(text, text == null ? 0 : text.indexOf(task.exceptionClass) + 1,
                        problem);
            }
        }
        return null;
    }

    private static List<ClassLoader> fallbackLoaders() {
        List<ClassLoader> result = new ArrayList<>(3);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            result.add(context);
        }
        result.add(ClassLoader.getSystemClassLoader());
        ClassLoader own = Throwables.class.getClassLoader();
        if (own != null && !result.contains(own)) {
            result.add(own);
        }
        return result;
    }

    /** The class named {@code name} as {@code loader} sees it (null: the bootstrap loader), or null. */
    static Class<?> resolve(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * Why {@code throw(name, message)} cannot be injected into {@code d}'s method, or null when it can: the class must
     * exist in the method's loader, be a Throwable with a public constructor, and be unchecked or declared.
     */
    static String problem(String name, String message, Declaration d) {
        return problem(name, message, d.method, d.className, d.loader(), d.exceptions);
    }

    /** The same for {@code method} ({@code fqcn#name}) of {@code className} in {@code loader}, declaring those. */
    private static String problem(String name, String message, String method, String className, ClassLoader loader,
                                  List<String> exceptions) {
        Class<?> type = resolve(name, loader);
        String where = " (as " + className + " sees it)";
        if (type == null) {
            return "exception class " + name + " not found" + where;
        }
        String shape = shapeProblem(type, message);
        if (shape != null) {
            return shape + where;
        }
        return undeclared(type.asSubclass(Throwable.class), method, loader, exceptions);
    }

    /**
     * Refuses {@code throw(..)} terms of {@code program} that one of {@code methods} (a target's loaded overloads, not
     * woven yet) could not throw, as {@link #validate} does for woven ones; null when all of them can.
     */
    static ChaosConfigException refusal(Program program, String text, List<Method> methods) {
        return firstRefused(program, text, task -> {
            for (Method m : methods) {
                List<String> declared = new ArrayList<>();
                for (Class<?> e : m.getExceptionTypes()) {
                    declared.add(e.getName());
                }
                String className = m.getDeclaringClass().getName();
                String problem = problem(task.exceptionClass, task.message, className + "#" + m.getName(), className,
                        m.getDeclaringClass().getClassLoader(), declared);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        });
    }

    /** Why {@code throw(name, message)} cannot work with any of {@code loaders}, or null when one of them can. */
    static String problem(String name, String message, List<ClassLoader> loaders) {
        for (ClassLoader loader : loaders) {
            Class<?> type = resolve(name, loader);
            if (type != null) {
                return shapeProblem(type, message);
            }
        }
        return "exception class " + name + " not found";
    }

    private static String shapeProblem(Class<?> type, String message) {
        if (!Throwable.class.isAssignableFrom(type)) {
            return type.getName() + " is not a Throwable";
        }
        if (constructor(type.asSubclass(Throwable.class), message) == null) {
            return type.getName() + " has no public constructor taking "
                    + (message == null ? "nothing or a message" : "a message");
        }
        return null;
    }

    /** Null when {@code type} may leave {@code d}'s method: unchecked, or a checked exception it declares. */
    private static String undeclared(Class<? extends Throwable> type, Declaration d) {
        return undeclared(type, d.method, d.loader(), d.exceptions);
    }

    private static String undeclared(Class<? extends Throwable> type, String method, ClassLoader loader,
                                     List<String> exceptions) {
        if (RuntimeException.class.isAssignableFrom(type) || Error.class.isAssignableFrom(type)) {
            return null;
        }
        for (String declared : exceptions) {
            Class<?> allowed = resolve(declared, loader);
            if (allowed != null && allowed.isAssignableFrom(type)) {
                return null;
            }
        }
        return "throw(" + type.getName() + ") cannot be injected into " + method
                + ": it is a checked exception the method does not declare (it declares "
                + (exceptions.isEmpty() ? "none" : String.join(", ", exceptions))
                + "); inject an unchecked exception or one it declares";
    }

    static Factory factory(Task task, ClassLoader loader, String where) {
        Class<?> found = resolve(task.exceptionClass, loader);
        Class<? extends Throwable> type = found != null && Throwable.class.isAssignableFrom(found)
                ? found.asSubclass(Throwable.class) : null;
        MethodHandle ctor = type == null ? null : constructor(type, task.message);
        if (ctor == null) {
            Log.warnOnce("throw:" + task.exceptionClass + "@" + where, "cannot create " + task.exceptionClass
                    + " for throw(..) in " + where + "; calls pass through untouched");
            return null;
        }
        boolean takesMessage = ctor.type().parameterCount() > 0;
        String message = task.message;
        return new Factory() {
            @Override
            public Class<? extends Throwable> type() {
                return type;
            }

            @Override
            public Throwable create() {
                try {
                    Throwable t = takesMessage ? (Throwable) ctor.invoke(message) : (Throwable) ctor.invoke();
                    trim(t);
                    return t;
                } catch (Throwable failure) {
                    Log.warnOnce("throw-ctor:" + task.exceptionClass, "constructor of " + task.exceptionClass
                            + " failed: " + failure + "; calls pass through untouched");
                    return null;
                }
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
