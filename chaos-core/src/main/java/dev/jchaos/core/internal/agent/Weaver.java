package dev.jchaos.core.internal.agent;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.Glob;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.Program;
import dev.jchaos.core.internal.Targeting;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationList;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaConstant;

import java.lang.annotation.Annotation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves delay points: methods annotated {@code @InjectDelay} (matched by name, so any copy of the annotation works)
 * and methods targeted by {@code fqcn#method}. Classes whose bytes do not mention the annotation are passed over
 * after a byte scan, without parsing. A class that cannot be woven is logged once and left unchanged.
 */
public final class Weaver implements ClassFileTransformer, Targeting {

    static final String INJECT_DELAY = "dev.jchaos.annotations.InjectDelay";
    static final String INJECT_DELAYS = "dev.jchaos.annotations.InjectDelays";
    private static final byte[] MARKER = "Ldev/jchaos/annotations/InjectDelay".getBytes(StandardCharsets.ISO_8859_1);
    private static final Set<String> TEST_ANNOTATIONS = Set.of("org.junit.jupiter.api.Test",
            "org.junit.jupiter.api.RepeatedTest", "org.junit.jupiter.api.TestFactory",
            "org.junit.jupiter.api.TestTemplate", "org.junit.jupiter.params.ParameterizedTest",
            "org.junit.jupiter.api.BeforeEach", "org.junit.jupiter.api.AfterEach",
            "org.junit.jupiter.api.BeforeAll", "org.junit.jupiter.api.AfterAll", "org.junit.Test",
            "org.testng.annotations.Test");
    private static final String TESTABLE = "org.junit.platform.commons.annotation.Testable";

    private final Engine engine;
    private final Instrumentation inst;
    private final Class<?> hubClass;
    private final ConcurrentHashMap<String, Set<String>> targets = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
    /** Classes whose collection call sites are watched (only ever added to: woven stays woven, switched off). */
    private volatile List<Glob> raceGlobs = List.of();
    private final Set<java.net.URL> raceExcluded = ConcurrentHashMap.newKeySet();
    /** Whether each class loader resolves the hub to the bootstrap one; guarded by itself. */
    private final Map<ClassLoader, Boolean> reachesHub = new WeakHashMap<>();
    private volatile Machinery machinery;

    private Weaver(Engine engine, Instrumentation inst, Class<?> hubClass) {
        this.engine = engine;
        this.inst = inst;
        this.hubClass = hubClass;
    }

    /** Starts weaving for {@code engine}: new classes as they load, loaded ones by retransformation. */
    public static Targeting start(Engine engine, Instrumentation inst) {
        HubLink hub = HubLink.find();
        if (hub == null) {
            throw new IllegalStateException("the jchaos hub is not in the bootstrap class loader");
        }
        Weaver weaver = new Weaver(engine, inst, hub.hubClass());
        inst.addTransformer(weaver, true);
        weaver.retransformLoadedAnnotated();
        return weaver;
    }

    // ------------------------------------------------------------------ transformation

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (internalName == null || bytes == null) {
            return null;
        }
        Set<String> targeted = targets.get(internalName);
        boolean races = raceWatched(loader, internalName, domain);
        if (targeted == null && !races && (loader == null || ignored(internalName) || !contains(bytes, MARKER))) {
            return null;
        }
        if (busy.get() != null) {
            return null; // a class loaded while weaving another one
        }
        busy.set(Boolean.TRUE);
        try {
            return weave(module, loader, internalName.replace('/', '.'), bytes, targeted, races);
        } catch (Throwable t) {
            Log.warnOnce("weave:" + internalName + "@" + System.identityHashCode(loader),
                    "could not weave " + internalName.replace('/', '.') + "; it runs unchanged", t);
            return null;
        } finally {
            busy.remove();
        }
    }

    /**
     * Woven code links against the hub by name through the class's own loader: a loader that does not delegate to
     * the bootstrap loader (OSGi, JBoss Modules), or that has a hub of its own, would break the woven method or leave
     * its point dead. Such a loader's classes are left unwoven, and that is said once per loader.
     */
    private boolean reachesHub(ClassLoader loader, String className) {
        if (loader == null) {
            return true;
        }
        Boolean known;
        synchronized (reachesHub) {
            known = reachesHub.get(loader);
        }
        if (known != null) {
            return known;
        }
        boolean ok;
        try {
            ok = Class.forName(WovenCode.HUB, false, loader) == hubClass;
        } catch (Throwable t) {
            ok = false;
        }
        synchronized (reachesHub) {
            reachesHub.put(loader, ok);
        }
        if (!ok) {
            Log.warnOnce("unreachable:" + System.identityHashCode(loader), "class loader " + describe(loader)
                    + " does not delegate to the bootstrap loader for jchaos's hub (as OSGi bundles and JBoss modules"
                    + " may not): its classes are left unwoven, starting with " + className);
        }
        return ok;
    }

    static String describe(ClassLoader loader) {
        String name = loader.getName();
        return loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader))
                + (name == null ? "" : " ('" + name + "')");
    }

    private boolean raceWatched(ClassLoader loader, String internalName, ProtectionDomain domain) {
        List<Glob> globs = raceGlobs;
        if (globs.isEmpty() || loader == null || ignored(internalName)) {
            return false;
        }
        if (domain != null && domain.getCodeSource() != null && domain.getCodeSource().getLocation() != null
                && raceExcluded.contains(domain.getCodeSource().getLocation())) {
            return false;
        }
        String name = internalName.replace('/', '.');
        for (Glob glob : globs) {
            if (glob.matches(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void watchRaces(List<Glob> classGlobs, java.security.CodeSource exclude) {
        if (exclude != null && exclude.getLocation() != null) {
            raceExcluded.add(exclude.getLocation());
        }
        List<Glob> fresh = new ArrayList<>();
        synchronized (this) {
            List<Glob> next = new ArrayList<>(raceGlobs);
            for (Glob glob : classGlobs) {
                boolean known = false;
                for (Glob g : next) {
                    known |= g.toString().equals(glob.toString());
                }
                if (!known) {
                    next.add(glob);
                    fresh.add(glob);
                }
            }
            raceGlobs = List.copyOf(next);
        }
        if (fresh.isEmpty()) {
            return;
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            try {
                if (c.isArray() || c.isPrimitive() || c.getClassLoader() == null || c.isHidden()
                        || !inst.isModifiableClass(c)) {
                    continue;
                }
                ProtectionDomain domain = c.getProtectionDomain();
                String internal = c.getName().replace('.', '/');
                for (Glob glob : fresh) {
                    if (glob.matches(c.getName()) && raceWatched(c.getClassLoader(), internal, domain)) {
                        loaded.add(c);
                        break;
                    }
                }
            } catch (Throwable t) {
                // a class that cannot be inspected is not woven
            }
        }
        retransform(loaded);
    }

    private byte[] weave(Module module, ClassLoader loader, String name, byte[] bytes, Set<String> targeted,
                         boolean races) {
        if (!reachesHub(loader, name)) {
            return null;
        }
        Machinery m = machinery();
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader),
                m.ownLocator);
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription type = pool.describe(name).resolve();
        Map<String, Decl> decls = scan(type, targeted, loader);
        if (decls.isEmpty() && !races) {
            return null;
        }
        DynamicType.Builder<?> builder = m.byteBuddy.redefine(type, locator);
        if (races) {
            builder = builder.visit(new RaceWeaving());
        }
        if (!decls.isEmpty() && type.getClassFileVersion().isAtLeast(ClassFileVersion.JAVA_V7)) {
            Advice advice = Advice.withCustomMapping()
                    .bootstrap(m.link, (adviceMethod, exit) -> (instrumentedType, instrumentedMethod) -> List.of(
                            JavaConstant.Simple.ofLoaded(decls.get(key(instrumentedMethod)).hubKey)))
                    .to(m.pointAdvice, m.ownLocator);
            builder = builder.visit(advice.on(method -> decls.containsKey(key(method))));
        } else if (!decls.isEmpty()) {
            for (Decl decl : decls.values()) {
                Advice advice = Advice.withCustomMapping().bind(LegacyAdvice.HubKey.class, decl.hubKey)
                        .to(m.legacyAdvice, m.ownLocator);
                String k = decl.key;
                builder = builder.visit(advice.on(method -> key(method).equals(k)));
            }
        }
        byte[] woven = builder.make().getBytes();
        if (module != null && module.isNamed() && hubClass != null && !module.canRead(hubClass.getModule())) {
            inst.redefineModule(module, Set.of(hubClass.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        for (Decl decl : decls.values()) {
            engine.declare(decl.id, decl.declaredBy, decl.defaults, loader, name, decl.key, decl.exceptions);
        }
        return woven;
    }

    private static String key(MethodDescription method) {
        return method.getInternalName() + method.getDescriptor();
    }

    private Map<String, Decl> scan(TypeDescription type, Set<String> targeted, ClassLoader loader) {
        Map<String, Decl> decls = new HashMap<>();
        boolean testClass = isTestClass(type);
        AnnotationDescription onType = testClass ? null : first(type.getDeclaredAnnotations(), type.getName());
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (method.isConstructor() || method.isTypeInitializer() || method.isAbstract() || method.isNative()
                    || method.isSynthetic() || method.isBridge()) {
                continue;
            }
            String where = type.getName() + "#" + method.getName();
            AnnotationDescription declared = testClass ? null : first(method.getDeclaredAnnotations(), where);
            if (declared == null && onType != null && method.isPublic()) {
                declared = onType;
            }
            String id;
            Program defaults = null;
            if (declared != null) {
                String value = declared.getValue("value").resolve(String.class);
                id = value.isEmpty() ? where : value;
                try {
                    defaults = Program.declared(declared.getValue("ms").resolve(Long.class),
                            declared.getValue("jitterMs").resolve(Long.class),
                            declared.getValue("probability").resolve(Double.class),
                            declared.getValue("times").resolve(Integer.class));
                } catch (IllegalArgumentException e) {
                    Log.warnOnce("bad-annotation:" + where, e.getMessage() + " (on " + where
                            + "); the point is not woven");
                    continue;
                }
            } else if (targeted != null && targeted.contains(method.getName())) {
                id = where;
            } else {
                continue;
            }
            List<String> exceptions = new ArrayList<>();
            for (TypeDescription thrown : method.getExceptionTypes().asErasures()) {
                exceptions.add(thrown.getName());
            }
            String key = key(method);
            decls.put(key, new Decl(key, engine.keyFor(loader, type.getName(), key), id, where, defaults,
                    exceptions));
        }
        return decls;
    }

    /** The first {@code @InjectDelay} that declares a point (not a test's {@code target}). */
    private static AnnotationDescription first(AnnotationList annotations, String where) {
        List<AnnotationDescription> found = new ArrayList<>();
        for (AnnotationDescription a : annotations) {
            String name = a.getAnnotationType().getName();
            if (INJECT_DELAY.equals(name)) {
                found.add(a);
            } else if (INJECT_DELAYS.equals(name)) {
                AnnotationValue<?, ?> value = a.getValue("value");
                for (AnnotationDescription inner : value.resolve(AnnotationDescription[].class)) {
                    found.add(inner);
                }
            }
        }
        found.removeIf(a -> !a.getValue("target").resolve(String.class).isEmpty());
        if (found.size() > 1) {
            Log.warnOnce("many:" + where, where + " has " + found.size() + " @InjectDelay; a method is one point, "
                    + "the first one is used");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** JUnit and TestNG classes activate points with {@code @InjectDelay}; they never declare them. */
    private static boolean isTestClass(TypeDescription type) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            for (AnnotationDescription a : method.getDeclaredAnnotations()) {
                TypeDescription annotationType = a.getAnnotationType();
                if (TEST_ANNOTATIONS.contains(annotationType.getName())) {
                    return true;
                }
                try {
                    for (AnnotationDescription meta : annotationType.getDeclaredAnnotations()) {
                        if (TESTABLE.equals(meta.getAnnotationType().getName())) {
                            return true;
                        }
                    }
                } catch (RuntimeException e) {
                    // an annotation type that cannot be resolved is not a test annotation we know
                }
            }
        }
        return false;
    }

    static boolean ignored(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/") || own(internalName)
                || internalName.startsWith("dev/jchaos/shaded/") || internalName.startsWith("dev/jchaos/annotations/")
                || internalName.startsWith("net/bytebuddy/");
    }

    /** jchaos's own classes: the API in {@code dev.jchaos.core} and everything below its internal and metrics. */
    static boolean own(String internalName) {
        if (!internalName.startsWith("dev/jchaos/core/")) {
            return false;
        }
        String rest = internalName.substring("dev/jchaos/core/".length());
        return rest.indexOf('/') < 0 || rest.startsWith("internal/") || rest.startsWith("metrics/");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Machinery machinery() {
        Machinery m = machinery;
        if (m == null) {
            synchronized (this) {
                m = machinery;
                if (m == null) {
                    m = new Machinery();
                    machinery = m;
                }
            }
        }
        return m;
    }

    /** Byte Buddy, built on the first class to weave so that an application without points never loads it. */
    private static final class Machinery {
        final ClassFileLocator ownLocator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(WovenCode.HUB, hubBytes()),
                ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader()));
        final TypePool ownPool = TypePool.Default.of(ownLocator);
        final MethodDescription.InDefinedShape link = ownPool.describe(WovenCode.HUB).resolve().getDeclaredMethods()
                .filter(ElementMatchers.named(WovenCode.LINK)).getOnly();

        private static byte[] hubBytes() {
            try {
                return HubInstaller.bootBytes(WovenCode.HUB);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        final TypeDescription pointAdvice = ownPool.describe(PointAdvice.class.getName()).resolve();
        final TypeDescription legacyAdvice = ownPool.describe(LegacyAdvice.class.getName()).resolve();
        final ByteBuddy byteBuddy = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(InstrumentedType.Factory.Default.FROZEN)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                .with(VisibilityBridgeStrategy.Default.NEVER);
    }

    private static final class Decl {
        final String key;
        final String hubKey;
        final String id;
        final String declaredBy;
        final Program defaults;
        final List<String> exceptions;

        Decl(String key, String hubKey, String id, String declaredBy, Program defaults, List<String> exceptions) {
            this.key = key;
            this.hubKey = hubKey;
            this.id = id;
            this.declaredBy = declaredBy;
            this.defaults = defaults;
            this.exceptions = exceptions;
        }
    }

    // ------------------------------------------------------------------ loaded classes

    private void retransformLoadedAnnotated() {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            try {
                if (c.isArray() || c.isPrimitive() || c.getClassLoader() == null || c.isHidden()
                        || ignored(c.getName().replace('.', '/')) || !inst.isModifiableClass(c)) {
                    continue;
                }
                if (declaresPoints(c)) {
                    found.add(c);
                }
            } catch (Throwable t) {
                // a class that cannot be inspected is not woven
            }
        }
        retransform(found);
    }

    private static boolean declaresPoints(Class<?> c) {
        if (hasInjectDelay(c.getDeclaredAnnotations())) {
            return true;
        }
        for (Method m : c.getDeclaredMethods()) {
            if (hasInjectDelay(m.getDeclaredAnnotations())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasInjectDelay(Annotation[] annotations) {
        for (Annotation a : annotations) {
            String name = a.annotationType().getName();
            if (INJECT_DELAY.equals(name) || INJECT_DELAYS.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Retransforms {@code classes} in one go (one by one if that fails); returns those that failed. */
    private Set<Class<?>> retransform(List<Class<?>> classes) {
        Set<Class<?>> failed = new HashSet<>();
        if (classes.isEmpty()) {
            return failed;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable batch) {
            for (Class<?> c : classes) {
                try {
                    inst.retransformClasses(c);
                } catch (Throwable t) {
                    failed.add(c);
                    Log.warnOnce("retransform:" + c.getName(), "could not weave loaded class " + c.getName()
                            + "; it runs unchanged", t);
                }
            }
        }
        return failed;
    }

    // ------------------------------------------------------------------ targeting

    @Override
    public boolean isTargeted(String className, String method) {
        Set<String> methods = targets.get(className.replace('.', '/'));
        return methods != null && methods.contains(method);
    }

    @Override
    public void target(List<String> ids, boolean strict) {
        Map<String, List<Class<?>>> loaded = new HashMap<>();
        List<String[]> wanted = new ArrayList<>();
        for (String id : ids) {
            int hash = id.indexOf('#');
            String className = id.substring(0, hash);
            if (refused(className)) {
                String problem = "cannot target " + className + ": jchaos relies on that package itself";
                if (strict) {
                    throw new ChaosConfigException(id, 1, problem);
                }
                Log.stderr(problem + " (" + id + ")");
                continue;
            }
            wanted.add(new String[] {id, className, id.substring(hash + 1)});
            loaded.put(className, new ArrayList<>());
        }
        // registered first: inspecting loaded classes below loads the types of their methods, and those must be
        // woven as they load
        List<String[]> added = new ArrayList<>();
        for (String[] w : wanted) {
            if (targets.computeIfAbsent(w[1].replace('.', '/'), k -> ConcurrentHashMap.newKeySet()).add(w[2])) {
                added.add(w);
            }
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            List<Class<?>> same = loaded.get(c.getName());
            if (same != null && !c.isArray()) {
                same.add(c);
            }
        }
        List<String[]> accepted = new ArrayList<>();
        List<String[]> rejected = new ArrayList<>();
        ChaosConfigException refusal = null;
        for (String[] w : wanted) {
            List<Class<?>> classes = loaded.get(w[1]);
            String problem = classes.isEmpty() ? null : methodProblem(classes, w[2]);
            if (problem == null) {
                accepted.add(w);
            } else {
                rejected.add(w);
                if (strict && refusal == null) {
                    refusal = new ChaosConfigException(w[0], w[0].indexOf('#') + 2, problem);
                } else if (!strict) {
                    Log.stderr(problem + " (" + w[0] + ")");
                }
            }
        }
        for (String[] w : refusal != null ? added : rejected) {
            if (added.contains(w)) {
                targets.get(w[1].replace('.', '/')).remove(w[2]);
            }
        }
        if (refusal != null) {
            throw refusal;
        }
        Set<Class<?>> toRetransform = new LinkedHashSet<>();
        for (String[] w : accepted) {
            toRetransform.addAll(loaded.get(w[1]));
        }
        Set<Class<?>> failed = retransform(new ArrayList<>(toRetransform));
        for (String[] w : accepted) {
            List<Class<?>> classes = loaded.get(w[1]);
            if (classes.isEmpty()) {
                continue; // woven when it loads
            }
            boolean broken = false;
            for (Class<?> c : classes) {
                broken |= failed.contains(c);
            }
            if (broken || engine.point(w[0]) == null) {
                targets.get(w[1].replace('.', '/')).remove(w[2]);
                String reason = "could not weave " + w[0] + (broken ? ": the class cannot be retransformed"
                        : "") + " (see the jchaos log)";
                if (strict) {
                    throw new ChaosConfigException(w[0], 1, reason);
                }
                Log.stderr(reason);
            }
        }
    }

    private String methodProblem(List<Class<?>> loaded, String method) {
        boolean any = false;
        boolean bodiless = false;
        for (Class<?> c : loaded) {
            if (!inst.isModifiableClass(c)) {
                return c.getName() + " cannot be modified by an agent";
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(method)) {
                    // overloads share the point: those without a body are skipped, the others woven
                    if (Modifier.isNative(m.getModifiers()) || Modifier.isAbstract(m.getModifiers())) {
                        bodiless = true;
                    } else {
                        any = true;
                    }
                }
            }
        }
        if (any) {
            return null;
        }
        if (bodiless) {
            return loaded.get(0).getName() + "#" + method + " has no body to weave (native or abstract)";
        }
        Class<?> c = loaded.get(0);
        for (Method m : c.getMethods()) {
            if (m.getName().equals(method)) {
                return c.getName() + " declares no method '" + method + "'; it inherits one from "
                        + m.getDeclaringClass().getName() + ": target " + m.getDeclaringClass().getName() + "#" + method;
            }
        }
        return c.getName() + " declares no method '" + method + "'";
    }

    private static boolean refused(String className) {
        return className.startsWith("java.lang.") || className.startsWith("java.util.concurrent.")
                || className.startsWith("jdk.internal.") || className.startsWith("sun.")
                || own(className.replace('.', '/')) || className.startsWith("dev.jchaos.shaded.")
                || className.startsWith("net.bytebuddy.");
    }
}
