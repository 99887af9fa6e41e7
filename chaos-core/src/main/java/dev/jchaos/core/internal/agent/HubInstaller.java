package dev.jchaos.core.internal.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Defines the hub in the bootstrap class loader, once per JVM, and records the instrumentation there. JDK types only:
 * this class also runs from the minimal hand-off jar of self-attach.
 */
final class HubInstaller {

    static final String HUB = "dev.jchaos.core.internal.boot.Hub";
    static final String HUB_RESOURCE = "dev/jchaos/core/internal/boot/Hub.class";

    private HubInstaller() {
    }

    /** @return false when the hub could not be installed (reported on stderr) */
    static boolean install(Instrumentation inst) {
        // any JDK class is one object per JVM: a lock shared by every copy of jchaos
        synchronized (Instrumentation.class) {
            try {
                Class<?> hub = bootHub();
                if (hub == null) {
                    hub = defineDirectly(inst);
                }
                if (hub == null) {
                    // appending to the boot class path works everywhere but turns class data sharing off for
                    // application classes, so it is only the fallback
                    inst.appendToBootstrapClassLoaderSearch(new JarFile(writeHubJar()));
                    hub = bootHub();
                    if (hub == null) {
                        System.err.println("[jchaos] could not define the hub in the bootstrap class loader");
                        return false;
                    }
                }
                Field field = hub.getField("instrumentation");
                if (field.get(null) == null) {
                    field.set(null, inst);
                }
                return true;
            } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                System.err.println("[jchaos] could not install the hub: " + e);
                return false;
            }
        }
    }

    /** Defines the hub straight into the bootstrap loader through the JDK's internal Unsafe, opened by the agent. */
    private static Class<?> defineDirectly(Instrumentation inst) {
        try {
            Module javaBase = Object.class.getModule();
            Module self = HubInstaller.class.getModule();
            if (!javaBase.isOpen("jdk.internal.misc", self)) {
                inst.redefineModule(javaBase, java.util.Set.of(), java.util.Map.of(),
                        java.util.Map.of("jdk.internal.misc", java.util.Set.of(self)), java.util.Set.of(),
                        java.util.Map.of());
            }
            Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
            byte[] bytes;
            try (InputStream in = hubBytes()) {
                bytes = in.readAllBytes();
            }
            unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class,
                    java.security.ProtectionDomain.class).invoke(unsafe, HUB, bytes, 0, bytes.length, null, null);
            return bootHub();
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static Class<?> bootHub() {
        try {
            return Class.forName(HUB, true, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static File writeHubJar() throws IOException {
        Path jar = Files.createTempFile("jchaos-hub-", ".jar");
        File file = jar.toFile();
        file.deleteOnExit();
        try (InputStream in = hubBytes(); OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jos = new JarOutputStream(out)) {
            jos.putNextEntry(new JarEntry(HUB_RESOURCE));
            in.transferTo(jos);
            jos.closeEntry();
        }
        return file;
    }

    static InputStream hubBytes() throws IOException {
        ClassLoader loader = HubInstaller.class.getClassLoader();
        InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(HUB_RESOURCE)
                : loader.getResourceAsStream(HUB_RESOURCE);
        if (in == null) {
            throw new IOException(HUB_RESOURCE + " is missing from the jchaos jar");
        }
        return in;
    }
}
