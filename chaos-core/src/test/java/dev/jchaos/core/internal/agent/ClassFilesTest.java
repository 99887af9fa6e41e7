package dev.jchaos.core.internal.agent;

import dev.jchaos.annotations.InjectDelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading loaded classes' class files where they came from, for the search that begins weaving. */
class ClassFilesTest {

    /** Copied into a jar and a directory of its own, and loaded from there by a loader that does not delegate it. */
    public static class Declaring {
        @InjectDelay("class-files.declaring")
        public void work() {
        }
    }

    private static final String RESOURCE = Declaring.class.getName().replace('.', '/') + ".class";

    private static byte[] original() throws IOException {
        try (InputStream in = ClassFilesTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in.readAllBytes();
        }
    }

    /** Loads {@link Declaring} itself from {@code url}, not from the test's class path. */
    private static final class Own extends URLClassLoader {
        Own(URL url) {
            super(new URL[] {url}, ClassFilesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(Declaring.class.getName())) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void aClassFromAJarIsReadFromTheJarAndTheJarIsClosedAfterwards(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(RESOURCE));
            out.write(original());
            out.closeEntry();
        }
        try (Own loader = new Own(jar.toUri().toURL())) {
            Class<?> c = loader.loadClass(Declaring.class.getName());
            assertThat(c.getClassLoader()).isSameAs(loader);
            try (ClassFiles files = new ClassFiles()) {
                byte[] bytes = files.of(c);
                assertThat(bytes).isEqualTo(original());
                assertThat(PoolScan.mentionsInjectDelay(bytes)).isTrue();
                assertThat(files.of(c)).as("read again from the jar opened once").isEqualTo(original());
            }
        }
        // nothing of the search keeps the jar open
        Files.delete(jar);
        assertThat(jar).doesNotExist();
    }

    @Test
    void aClassFromADirectoryIsReadFromTheDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(RESOURCE);
        Files.createDirectories(file.getParent());
        Files.write(file, original());
        try (Own loader = new Own(dir.toUri().toURL()); ClassFiles files = new ClassFiles()) {
            Class<?> c = loader.loadClass(Declaring.class.getName());
            assertThat(c.getClassLoader()).isSameAs(loader);
            assertThat(files.of(c)).isEqualTo(original());
        }
    }

    /** A loader that defines classes from bytes of no resource, with no code source, as generated classes are. */
    private static final class Generating extends ClassLoader {
        Generating() {
            super(null); // no parent that has the class file either
        }

        Class<?> define(byte[] bytes) {
            return defineClass(Declaring.class.getName(), bytes, 0, bytes.length);
        }
    }

    @Test
    void aClassDefinedFromBytesOfNoResourceHasNoClassFileToRead() throws Exception {
        Class<?> c = new Generating().define(original());
        try (ClassFiles files = new ClassFiles()) {
            assertThat(files.of(c)).isNull();
        }
    }

    @Test
    void aClassOfAnotherSourceIsAskedOfItsLoader() throws Exception {
        byte[] bytes = original();
        ClassLoader loader = new ClassLoader(ClassFilesTest.class.getClassLoader()) {
            {
                // a code source that is no file, as a jar nested in a Spring Boot jar has
                java.security.CodeSource source = new java.security.CodeSource(
                        new URL("http://example.invalid/app.jar"), (java.security.cert.Certificate[]) null);
                defineClass(Declaring.class.getName(), bytes, 0, bytes.length,
                        new java.security.ProtectionDomain(source, null));
            }

            @Override
            public InputStream getResourceAsStream(String name) {
                return name.equals(RESOURCE) ? new java.io.ByteArrayInputStream(bytes) : null;
            }
        };
        Class<?> c = Class.forName(Declaring.class.getName(), false, loader);
        assertThat(c.getClassLoader()).isSameAs(loader);
        try (ClassFiles files = new ClassFiles()) {
            assertThat(files.of(c)).isEqualTo(bytes);
        }
    }
}
