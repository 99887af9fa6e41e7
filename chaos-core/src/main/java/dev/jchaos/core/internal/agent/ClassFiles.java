package dev.jchaos.core.internal.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * Reads the class files of loaded classes where they came from, to tell which declare points without reflection
 * (which would load and resolve the types of every method). A class from a jar or a directory on the file system is
 * read from there, each jar opened once for the whole search; any other is asked of its class loader. Only for one
 * search of the loaded classes: {@link #close} closes the jars.
 */
final class ClassFiles implements AutoCloseable {

    /** Code source location to where its class files are: a {@link JarFile}, a directory, or {@link #ELSEWHERE}. */
    private final Map<URL, Object> sources = new HashMap<>();
    private static final Object ELSEWHERE = new Object();

    /** The class file of {@code c}, or null when it cannot be found. */
    byte[] of(Class<?> c) {
        String resource = c.getName().replace('.', '/') + ".class";
        try {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            Object where = location == null ? ELSEWHERE : sources.computeIfAbsent(location, ClassFiles::open);
            if (where instanceof JarFile jar) {
                JarEntry entry = jar.getJarEntry(resource);
                if (entry != null) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        return in.readAllBytes();
                    }
                }
            } else if (where instanceof Path directory) {
                Path file = directory.resolve(resource);
                if (Files.isRegularFile(file)) {
                    return Files.readAllBytes(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // asked of the loader below
        }
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Object open(URL location) {
        if (!"file".equals(location.getProtocol())) {
            return ELSEWHERE;
        }
        try {
            Path path = Path.of(location.toURI());
            if (Files.isDirectory(path)) {
                return path;
            }
            // as the class loader reads it: a multi-release jar's entry for this Java
            return new JarFile(path.toFile(), false, ZipFile.OPEN_READ, JarFile.runtimeVersion());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return ELSEWHERE;
        }
    }

    @Override
    public void close() {
        for (Object where : sources.values()) {
            if (where instanceof JarFile jar) {
                try {
                    jar.close();
                } catch (IOException e) {
                    // read only; nothing to lose
                }
            }
        }
        sources.clear();
    }
}
