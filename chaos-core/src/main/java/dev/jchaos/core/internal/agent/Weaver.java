package dev.jchaos.core.internal.agent;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.Glob;
import dev.jchaos.core.internal.HubLink;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.Program;
import dev.jchaos.core.internal.Targeting;

import java.lang.annotation.Annotation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves delay points: methods annotated {@code @InjectDelay} (matched by name, so any copy of the annotation works)
 * and methods targeted by {@code fqcn#method}. Classes whose constant pool does not name the annotation are passed
 * over without parsing (see {@link PoolScan}). A class that cannot be woven is logged once and left unchanged.
 */
public final class Weaver implements ClassFileTransformer, Targeting {

    static final String INJECT_DELAY = "dev.jchaos.annotations.InjectDelay";
    static final String INJECT_DELAYS = "dev.jchaos.annotations.InjectDelays";
    private static final Set<String> TEST_ANNOTATIONS = Set.of("Lorg/junit/jupiter/api/Test;",
            "Lorg/junit/jupiter/api/RepeatedTest;", "Lorg/junit/jupiter/api/TestFactory;",
            "Lorg/junit/jupiter/api/TestTemplate;", "Lorg/junit/jupiter/params/ParameterizedTest;",
            "Lorg/junit/jupiter/api/BeforeEach;", "Lorg/junit/jupiter/api/AfterEach;",
            "Lorg/junit/jupiter/api/BeforeAll;", "Lorg/junit/jupiter/api/AfterAll;", "Lorg/junit/Test;",
            "Lorg/testng/annotations/Test;");
    private static final String TESTABLE = "Lorg/junit/platform/commons/annotation/Testable;";

    private final Engine engine;
    private final Instrumentation inst;
    private final Class<?> hubClass;
    private final ConcurrentHashMap<String, Set<String>> targets = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
    private final Object beginLock = new Object();
    private volatile boolean begun;
    /** Classes whose collection call sites are watched (only ever added to: woven stays woven, switched off). */
    private volatile List<Glob> raceGlobs = List.of();
    private final Set<java.net.URL> raceExcluded = ConcurrentHashMap.newKeySet();
    /** Whether each class loader resolves the hub to the bootstrap one; guarded by itself. */
    private final Map<ClassLoader, Boolean> reachesHub = new WeakHashMap<>();
    /** Annotation descriptor to whether it is meta-annotated {@code @Testable}. */
    private final ConcurrentHashMap<String, Boolean> testables = new ConcurrentHashMap<>();

    private Weaver(Engine engine, Instrumentation inst, Class<?> hubClass) {
        this.engine = engine;
        this.inst = inst;
        this.hubClass = hubClass;
    }

    /**
     * The weaver of {@code engine}. With {@code now} it {@linkplain #begin begins} at once (an attach: the application
     * is running and may already call its points); otherwise at the first {@link #begin}, {@link #target} or
     * {@link #watchRaces}, so that a JVM started with a dormant agent never hands a class to a transformer until
     * chaos is used.
     */
    public static Targeting start(Engine engine, Instrumentation inst, boolean now) {
        HubLink hub = HubLink.find();
        if (hub == null) {
            throw new IllegalStateException("the jchaos hub is not in the bootstrap class loader");
        }
        Weaver weaver = new Weaver(engine, inst, hub.hubClass());
        if (now) {
            weaver.begin();
        }
        return weaver;
    }

    /**
     * Sees classes as they load from now on, then weaves the loaded ones that declare points; once, and every caller
     * returns only when it is done. The transformer comes first, so a class loading meanwhile is woven as it loads;
     * one that was being defined while the loaded classes were listed is caught by a second look at them.
     */
    @Override
    public void begin() {
        if (begun) {
            return;
        }
        synchronized (beginLock) {
            if (begun) {
                return;
            }
            inst.addTransformer(this, true);
            Set<Class<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            try (ClassFiles files = new ClassFiles()) {
                retransformLoadedAnnotated(seen, files);
                retransformLoadedAnnotated(seen, files);
            }
            begun = true;
        }
    }

    // ------------------------------------------------------------------ transformation

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (internalName == null || bytes == null) {
            return null;
        }
        Set<String> targeted = targets.get(internalName);
        if (targeted != null && jdkLoader(loader)) {
            // aimed at before it loaded, under a name that did not tell it is the JDK's
            Log.warnOnce("jdk-target:" + internalName, refusal(internalName.replace('/', '.')) + "; not woven");
            targeted = null;
        }
        boolean races = raceWatched(loader, internalName, domain);
        if (targeted == null && !races
                && (loader == null || ignored(internalName) || !PoolScan.mentionsInjectDelay(bytes))) {
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
        begin();
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
        ClassScan scan = ClassScan.of(bytes);
        Map<String, Decl> decls = scan(scan, targeted, loader);
        if (decls.isEmpty() && !races) {
            return null;
        }
        Map<String, String> keys = new HashMap<>();
        for (Decl decl : decls.values()) {
            keys.put(decl.key, decl.hubKey);
        }
        byte[] woven = PointWeaving.rewrite(bytes, scan.version >= 51, keys, races);
        if (module != null && module.isNamed() && hubClass != null && !module.canRead(hubClass.getModule())) {
            inst.redefineModule(module, Set.of(hubClass.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        for (Decl decl : decls.values()) {
            engine.declare(decl.id, decl.declaredBy, decl.defaults, loader, name, decl.key, decl.exceptions);
        }
        return woven;
    }

    private Map<String, Decl> scan(ClassScan type, Set<String> targeted, ClassLoader loader) {
        Map<String, Decl> decls = new HashMap<>();
        boolean testClass = isTestClass(type, loader);
        ClassScan.Annotation onType = testClass ? null : first(type.annotations, type.name);
        for (ClassScan.Method method : type.methods) {
            if (!method.weavable()) {
                continue;
            }
            String where = type.name + "#" + method.name;
            ClassScan.Annotation declared = testClass ? null : first(method.annotations, where);
            if (declared == null && onType != null && method.isPublic()) {
                declared = onType;
            }
            String id;
            Program defaults = null;
            if (declared != null) {
                String value = declared.string("value", "");
                id = value.isEmpty() ? where : value;
                try {
                    defaults = Program.declared(declared.number("ms", 100), declared.number("jitterMs", 0),
                            declared.decimal("probability", 1.0), (int) declared.number("times", -1));
                } catch (IllegalArgumentException e) {
                    Log.warnOnce("bad-annotation:" + where, e.getMessage() + " (on " + where
                            + "); the point is not woven");
                    continue;
                }
            } else if (targeted != null && targeted.contains(method.name)) {
                id = where;
            } else {
                continue;
            }
            List<String> exceptions = new ArrayList<>();
            for (String thrown : method.exceptions) {
                exceptions.add(thrown.replace('/', '.'));
            }
            String key = method.key();
            decls.put(key, new Decl(key, engine.keyFor(loader, type.name, key), id, where, defaults, exceptions));
        }
        return decls;
    }

    /** The first {@code @InjectDelay} that declares a point (not a test's {@code target}). */
    private static ClassScan.Annotation first(List<ClassScan.Annotation> annotations, String where) {
        List<ClassScan.Annotation> found = new ArrayList<>();
        for (ClassScan.Annotation a : annotations) {
            if (ClassScan.INJECT_DELAY.equals(a.descriptor)) {
                found.add(a);
            } else if (ClassScan.INJECT_DELAYS.equals(a.descriptor)) {
                found.addAll(a.nested);
            }
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            if (!found.get(i).string("target", "").isEmpty()) {
                found.remove(i);
            }
        }
        if (found.size() > 1) {
            Log.warnOnce("many:" + where, where + " has " + found.size() + " @InjectDelay; a method is one point, "
                    + "the first one is used");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** JUnit and TestNG classes activate points with {@code @InjectDelay}; they never declare them. */
    private boolean isTestClass(ClassScan type, ClassLoader loader) {
        for (ClassScan.Method method : type.methods) {
            for (ClassScan.Annotation a : method.annotations) {
                if (TEST_ANNOTATIONS.contains(a.descriptor) || testable(a.descriptor, loader)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the annotation type is meta-annotated {@code @Testable} (JUnit's own and custom test annotations). */
    private boolean testable(String descriptor, ClassLoader loader) {
        if (descriptor.startsWith("Ljava/") || descriptor.startsWith("Ljavax/") || descriptor.startsWith("Ldev/jchaos/")) {
            return false;
        }
        return testables.computeIfAbsent(descriptor, d -> {
            String resource = d.substring(1, d.length() - 1) + ".class";
            try (java.io.InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                    : loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return false;
                }
                for (ClassScan.Annotation meta : ClassScan.of(in.readAllBytes()).annotations) {
                    if (TESTABLE.equals(meta.descriptor)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException | RuntimeException e) {
                return false; // an annotation type that cannot be read is not a test annotation we know
            }
        });
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

    /** Retransforms the loaded classes not in {@code seen} that declare points, and adds them all to it. */
    private void retransformLoadedAnnotated(Set<Class<?>> seen, ClassFiles files) {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!seen.add(c)) {
                continue;
            }
            try {
                if (c.isArray() || c.isPrimitive() || c.getClassLoader() == null || c.isHidden()
                        || ignored(c.getName().replace('.', '/')) || !inst.isModifiableClass(c)) {
                    continue;
                }
                byte[] bytes = files.of(c);
                if (bytes != null ? PoolScan.mentionsInjectDelay(bytes) : declaresPoints(c)) {
                    found.add(c);
                }
            } catch (Throwable t) {
                // a class that cannot be inspected is not woven
            }
        }
        retransform(found);
    }

    /** By reflection, for a class whose class file cannot be read (defined from bytes of no resource). */
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
    public void target(List<String> ids, boolean strict, Vet vet) {
        begin();
        Map<String, List<Class<?>>> loaded = new HashMap<>();
        List<String[]> wanted = new ArrayList<>();
        for (String id : ids) {
            int hash = id.indexOf('#');
            String className = id.substring(0, hash);
            if (refused(className)) {
                String problem = refusal(className);
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
            ChaosConfigException vetoed = problem != null || classes.isEmpty() || vet == null ? null
                    : vet.refusal(w[0], bodied(classes, w[2]));
            if (vetoed != null) {
                rejected.add(w);
                if (refusal == null) {
                    refusal = vetoed;
                }
            } else if (problem == null) {
                accepted.add(w);
            } else {
                rejected.add(w);
                if (strict && refusal == null) {
                    // a problem of the class itself is at its start; one of the method after the '#'
                    int column = problem.startsWith("cannot target ") ? 1 : w[0].indexOf('#') + 2;
                    refusal = new ChaosConfigException(w[0], column, problem);
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

    /** The methods named {@code method} with a body that {@code loaded} declare: those a target weaves. */
    private static List<Method> bodied(List<Class<?>> loaded, String method) {
        List<Method> result = new ArrayList<>();
        for (Class<?> c : loaded) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(method) && hasBody(m)) {
                    result.add(m);
                }
            }
        }
        return result;
    }

    private static boolean hasBody(Method m) {
        return !Modifier.isNative(m.getModifiers()) && !Modifier.isAbstract(m.getModifiers());
    }

    private String methodProblem(List<Class<?>> loaded, String method) {
        boolean any = false;
        boolean bodiless = false;
        for (Class<?> c : loaded) {
            if (jdkLoader(c.getClassLoader())) {
                return refusal(c.getName());
            }
            if (!inst.isModifiableClass(c)) {
                return c.getName() + " cannot be modified by an agent";
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(method)) {
                    // overloads share the point: those without a body are skipped, the others woven
                    if (hasBody(m)) {
                        any = true;
                    } else {
                        bodiless = true;
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

    /**
     * The JDK's classes and jchaos's own are never aimed at: the woven dispatch runs on the JDK (maps, method handles,
     * locks, threads), so a woven {@code HashMap#get} would call itself back until the stack overflows, in the
     * application's threads and the JVM's own. A point belongs on the application method that calls the JDK.
     */
    private static boolean refused(String className) {
        int dot = className.lastIndexOf('.');
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || (dot > 0 && JdkPackages.ALL.contains(className.substring(0, dot)))
                || own(className.replace('.', '/')) || className.startsWith("dev.jchaos.shaded.")
                || className.startsWith("net.bytebuddy.");
    }

    /**
     * The packages of the JDK's own modules (those the bootstrap and platform loaders define: {@code javax.xml},
     * {@code org.w3c.dom}, {@code com.sun.net.httpserver}...), so a class of theirs is refused by name before it loads;
     * a {@code javax.servlet} or {@code com.sun.jersey} of the application's own loader is not among them.
     */
    private static final class JdkPackages {
        static final Set<String> ALL = collect();

        private static Set<String> collect() {
            Set<String> packages = new HashSet<>();
            for (Module module : ModuleLayer.boot().modules()) {
                if (jdkLoader(module.getClassLoader())) {
                    packages.addAll(module.getPackages());
                }
            }
            return packages;
        }
    }

    /** The bootstrap and platform loaders define the JDK, whatever its package names ({@code org.w3c.dom}...). */
    static boolean jdkLoader(ClassLoader loader) {
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    private static String refusal(String className) {
        return "cannot target " + className + ": it is a class of the JDK or of jchaos, whose code jchaos's own "
                + "dispatch runs on; aim at the application method that calls it";
    }
}
