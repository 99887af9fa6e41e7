package dev.jchaos.core.it.sweep;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;
import dev.jchaos.core.internal.Guard;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run under the agent: makes every public method of a few hundred classes of Jackson, Guava, H2 and Jetty a point
 * (armed {@code off}: counted, nothing injected), exercises the libraries before and after, and prints what
 * happened, one {@code key value} per line.
 */
public final class LibrarySweepMain {

    /** Packages swept per library, and how many classes of each at most. */
    private static final Map<String, String[]> LIBRARIES = new LinkedHashMap<>();
    private static final int CLASSES_PER_LIBRARY = 120;

    static {
        LIBRARIES.put("com/fasterxml/jackson/databind/ObjectMapper.class", new String[] {
            "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/core/"});
        LIBRARIES.put("com/google/common/collect/ImmutableList.class", new String[] {
            "com/google/common/collect/", "com/google/common/base/", "com/google/common/cache/",
            "com/google/common/hash/"});
        LIBRARIES.put("org/h2/Driver.class", new String[] {
            "org/h2/command/", "org/h2/engine/", "org/h2/jdbc/", "org/h2/value/", "org/h2/result/"});
        LIBRARIES.put("org/eclipse/jetty/server/Server.class", new String[] {
            "org/eclipse/jetty/server/", "org/eclipse/jetty/io/", "org/eclipse/jetty/http/",
            "org/eclipse/jetty/util/"});
        LIBRARIES.put("org/eclipse/jetty/client/HttpClient.class", new String[] {"org/eclipse/jetty/client/"});
    }

    /** Held: the log manager keeps loggers only weakly, and a collected one would take the handler with it. */
    private static final Logger JCHAOS_LOG = Logger.getLogger("dev.jchaos");

    private LibrarySweepMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        JCHAOS_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        // the classes the workout uses are loaded now and retransformed by the sweep; the rest are woven as they load
        String before = LibraryWorkout.all();

        Map<String, String> targets = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> library : LIBRARIES.entrySet()) {
            List<String> swept = sweep(library.getKey(), library.getValue());
            for (String id : swept) {
                targets.put(id, "off");
            }
        }
        Set<String> sweptClasses = new TreeSet<>();
        for (String id : targets.keySet()) {
            sweptClasses.add(id.substring(0, id.indexOf('#')));
        }
        ChaosController chaos = Chaos.controller();
        chaos.setEnabled(true);
        long start = System.nanoTime();
        chaos.setActivations(targets);
        long activateMs = (System.nanoTime() - start) / 1_000_000;

        String after = LibraryWorkout.all();
        // the swept classes the workout never used are woven as they load
        int unloadable = 0;
        for (String name : sweptClasses) {
            try {
                Class.forName(name, false, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException | LinkageError optionalDependencyMissing) {
                unloadable++;
                targets.keySet().removeIf(id -> id.startsWith(name + "#"));
            }
        }
        String third = LibraryWorkout.all();

        int woven = 0;
        int called = 0;
        long calls = 0;
        for (PointSnapshot p : chaos.points()) {
            if (targets.containsKey(p.id())) {
                woven++;
                if (p.calls() > 0) {
                    called++;
                    calls += p.calls();
                }
            }
        }
        System.out.println("classes " + sweptClasses.size());
        System.out.println("unloadable " + unloadable);
        System.out.println("targeted " + targets.size());
        System.out.println("woven " + woven);
        System.out.println("called " + called);
        System.out.println("calls " + calls);
        System.out.println("activateMs " + activateMs);
        System.out.println("failures " + Guard.failures());
        System.out.println("warnings " + warnings.size());
        for (String w : warnings) {
            System.out.println("warning " + w.replace('\n', ' '));
        }
        Set<String> wovenIds = new TreeSet<>();
        for (PointSnapshot p : chaos.points()) {
            wovenIds.add(p.id());
        }
        targets.keySet().stream().filter(id -> !wovenIds.contains(id)).limit(20)
                .forEach(id -> System.out.println("missing " + id));
        System.out.println("unchanged " + (before.equals(after) && after.equals(third)));
        if (!before.equals(after)) {
            System.out.println("before " + before.replace('\n', ' '));
            System.out.println("after " + after.replace('\n', ' '));
        }
        chaos.deactivateAll();
        chaos.setEnabled(false);
    }

    /** {@code fqcn#method} of every public method with a body of up to N public classes in the library's packages. */
    private static List<String> sweep(String anchor, String[] packages) throws Exception {
        URL url = ClassLoader.getSystemResource(anchor);
        String path = url.getPath();
        File jar = new File(new URL(path.substring(0, path.indexOf("!/"))).toURI());
        List<String> ids = new ArrayList<>();
        try (JarFile file = new JarFile(jar); ClassFileLocator locator = ClassFileLocator.ForJarFile.of(jar)) {
            TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(locator,
                    ClassFileLocator.ForClassLoader.ofSystemLoader()));
            List<String> names = new ArrayList<>();
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class") && !name.contains("-info") && !name.startsWith("META-INF/")
                        && inPackages(name, packages)) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
            names.sort(null);
            int taken = 0;
            for (String name : names) {
                if (taken >= CLASSES_PER_LIBRARY) {
                    break;
                }
                TypeDescription type = pool.describe(name).resolve();
                if (!type.isPublic() || type.isAnnotation()) {
                    continue;
                }
                Set<String> methods = new TreeSet<>();
                for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
                    if (m.isPublic() && m.isMethod() && !m.isAbstract() && !m.isNative() && !m.isSynthetic()
                            && !m.isBridge()) {
                        methods.add(m.getName());
                    }
                }
                if (methods.isEmpty()) {
                    continue;
                }
                taken++;
                for (String method : methods) {
                    ids.add(name + "#" + method);
                }
            }
        }
        return ids;
    }

    private static boolean inPackages(String entry, String[] packages) {
        for (String p : packages) {
            if (entry.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
