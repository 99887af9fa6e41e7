package dev.jchaos.junit;

import dev.jchaos.core.internal.MiniJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sees virtual threads, which {@link Thread#getAllStackTraces()} and the thread MXBean do not: on JDK 21+ through
 * {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)}, called reflectively so the code compiles for release 17.
 */
final class VirtualThreads {

    private static final AtomicLong DUMPS = new AtomicLong();
    private static final VirtualThreads INSTANCE = create();

    private final Object bean;
    private final Method dumpThreads;
    private final Object jsonFormat;
    private final Path directory;

    private VirtualThreads(Object bean, Method dumpThreads, Object jsonFormat, Path directory) {
        this.bean = bean;
        this.dumpThreads = dumpThreads;
        this.jsonFormat = jsonFormat;
        this.directory = directory;
    }

    /** The dumper of this JVM, or {@code null} before JDK 21 (no virtual threads to see). */
    static VirtualThreads get() {
        return INSTANCE;
    }

    private static VirtualThreads create() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> formatType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object json = null;
            for (Object constant : formatType.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("JSON")) {
                    json = constant;
                }
            }
            Object bean = ManagementFactory.getPlatformMXBean(beanType.asSubclass(PlatformManagedObject.class));
            Method dump = beanType.getMethod("dumpThreads", String.class, formatType);
            Path directory = Files.createTempDirectory("jchaos-threads");
            directory.toFile().deleteOnExit();
            return json == null ? null : new VirtualThreads(bean, dump, json, directory);
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            System.err.println("[jchaos] virtual threads cannot be checked for leaks on this JVM: " + e);
            return null;
        }
    }

    /** How many dumps this JVM has taken; the clean path takes none. */
    static long dumps() {
        return DUMPS.get();
    }

    /** Virtual threads alive now whose id is above {@code idWatermark} (created after it), with their stacks. */
    List<LeakedThread> aliveAbove(long idWatermark) {
        Path file = directory.resolve("dump-" + DUMPS.incrementAndGet() + ".json");
        try {
            dumpThreads.invoke(bean, file.toString(), jsonFormat);
            String json = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return parse(json, idWatermark);
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("jchaos could not take a thread dump to find virtual threads", e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stray temp file is harmless; the directory is deleted on exit
            }
        }
    }

    static List<LeakedThread> parse(String json, long idWatermark) {
        List<LeakedThread> found = new ArrayList<>();
        Map<?, ?> root = (Map<?, ?>) ((Map<?, ?>) MiniJson.parse(json)).get("threadDump");
        for (Object container : (List<?>) root.get("threadContainers")) {
            for (Object t : (List<?>) ((Map<?, ?>) container).get("threads")) {
                Map<?, ?> thread = (Map<?, ?>) t;
                if (!Boolean.TRUE.equals(thread.get("virtual"))) {
                    continue;
                }
                long id = Long.parseLong((String) thread.get("tid"));
                if (id <= idWatermark) {
                    continue;
                }
                Object state = thread.get("state");
                List<String> frames = new ArrayList<>();
                Object stack = thread.get("stack");
                if (stack instanceof List) {
                    for (Object frame : (List<?>) stack) {
                        frames.add((String) frame);
                    }
                }
                String name = thread.get("name") == null ? "" : (String) thread.get("name");
                found.add(new LeakedThread(id, name, state == null ? "UNKNOWN" : (String) state, frames, true, null));
            }
        }
        return found;
    }
}
