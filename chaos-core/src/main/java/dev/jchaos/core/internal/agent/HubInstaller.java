package dev.jchaos.core.internal.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Defines the bootstrap classes of jchaos ({@code Hub} and {@code JmxHook}) once per JVM. JDK types only: this class
 * also runs from the minimal hand-off jar of self-attach.
 */
final class HubInstaller {

    static final String HUB = "dev.jchaos.core.internal.boot.Hub";
    static final String JMX_HOOK = "dev.jchaos.core.internal.boot.JmxHook";
    /** Bootstrap classes ship as resources, never as class files a loader could define a copy of. */
    static final String RESOURCE_SUFFIX = ".class.boot";
    private static final String[] BOOT_CLASSES = {HUB, JMX_HOOK};

    private HubInstaller() {
    }

    /** @return false when the bootstrap classes could not be defined (reported on stderr) */
    static boolean install(Instrumentation inst) {
        // any JDK class is one object per JVM: a lock shared by every copy of jchaos
        synchronized (Instrumentation.class) {
            try {
                if (bootClass(HUB) != null && bootClass(JMX_HOOK) != null) {
                    return true;
                }
                if (!defineDirectly(inst)) {
                    // appending to the boot class path works everywhere but keeps the jar open for good, so it is
                    // only the fallback
                    inst.appendToBootstrapClassLoaderSearch(new JarFile(writeBootJar()));
                }
                if (bootClass(HUB) == null || bootClass(JMX_HOOK) == null) {
                    System.err.println("[jchaos] could not define the hub in the bootstrap class loader");
                    return false;
                }
                return true;
            } catch (IOException | RuntimeException | LinkageError e) {
                System.err.println("[jchaos] could not install the hub: " + e);
                return false;
            }
        }
    }

    /**
     * Defines the classes through the JDK's internal Unsafe, reached from a class loader that holds only
     * {@link BootDefiner}: the internal package is exported to that loader alone.
     */
    private static boolean defineDirectly(Instrumentation inst) {
        try {
            byte[] definerBytes = bytes(BootDefiner.class.getName().replace('.', '/') + ".class");
            ClassLoader own = new SingleClassLoader(BootDefiner.class.getName(), definerBytes);
            Class<?> definer = own.loadClass(BootDefiner.class.getName());
            Module javaBase = Object.class.getModule();
            inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(definer.getModule())),
                    Map.of(), Set.of(), Map.of());
            java.lang.reflect.Method define = definer.getMethod("define", String.class, byte[].class);
            for (String name : BOOT_CLASSES) {
                if (bootClass(name) == null) {
                    define.invoke(null, name, bootBytes(name));
                }
            }
            return true;
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    static Class<?> bootClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static File writeBootJar() throws IOException {
        Path jar = Files.createTempFile("jchaos-boot-", ".jar");
        File file = jar.toFile();
        file.deleteOnExit();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
            for (String name : BOOT_CLASSES) {
                jos.putNextEntry(new JarEntry(name.replace('.', '/') + ".class"));
                jos.write(bootBytes(name));
                jos.closeEntry();
            }
        }
        return file;
    }

    /** The class file of a bootstrap class, from its resource (or, in a build's class directory, the class file). */
    static byte[] bootBytes(String name) throws IOException {
        String base = name.replace('.', '/');
        try {
            return bytes(base + RESOURCE_SUFFIX);
        } catch (IOException notPackaged) {
            return bytes(base + ".class");
        }
    }

    static byte[] bytes(String resource) throws IOException {
        byte[] packaged = fromOwnJar(resource);
        if (packaged != null) {
            return packaged;
        }
        ClassLoader loader = HubInstaller.class.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the jchaos jar");
            }
            return in.readAllBytes();
        }
    }

    /**
     * The resource read straight from the jar this class came from, or null when it did not come from a jar file.
     * The class loader would answer too, but through a {@code jar:} URL connection whose classes the JVM would first
     * have to load, before {@code main}; the jar itself is open already.
     */
    private static byte[] fromOwnJar(String resource) {
        try {
            CodeSource source = HubInstaller.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return null;
            }
            File file = new File(location.toURI());
            if (!file.isFile()) {
                return null;
            }
            try (JarFile jar = new JarFile(file, false)) {
                JarEntry entry = jar.getJarEntry(resource);
                if (entry == null) {
                    return null;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return in.readAllBytes();
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** A loader that defines exactly one class from bytes and delegates everything else to the platform loader. */
    private static final class SingleClassLoader extends ClassLoader {

        private final String name;
        private final byte[] bytes;

        SingleClassLoader(String name, byte[] bytes) {
            super("jchaos-boot-definer", ClassLoader.getPlatformClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> findClass(String wanted) throws ClassNotFoundException {
            if (!wanted.equals(name)) {
                throw new ClassNotFoundException(wanted);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
