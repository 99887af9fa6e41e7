package dev.jchaos.core.internal.threads;

import dev.jchaos.core.internal.MiniJson;
import dev.jchaos.core.threads.StackGroups;
import dev.jchaos.core.threads.ThreadSnapshot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * This JVM's live threads as one grouped dump: platform threads from the thread MXBean, virtual threads (JDK 21+)
 * from the JDK's own JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, called reflectively so the
 * code compiles for release 17), and start sites where {@link ThreadSites} recorded them.
 */
public final class LiveThreads {

    private LiveThreads() {
    }

    /** Every live thread, with its start site where one was recorded. */
    public static List<ThreadSnapshot> capture() {
        List<ThreadSnapshot> threads = new ArrayList<>();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (info != null) {
                threads.add(ThreadSnapshot.of(info));
            }
        }
        threads.addAll(virtualThreads(false));
        if (!ThreadSites.recording()) {
            return threads;
        }
        Set<Long> ids = new HashSet<>();
        for (ThreadSnapshot t : threads) {
            ids.add(t.id());
        }
        Map<Long, String> sites = ThreadSites.of(ids);
        List<ThreadSnapshot> withSites = new ArrayList<>(threads.size());
        for (ThreadSnapshot t : threads) {
            String site = sites.get(t.id());
            withSites.add(site == null ? t : t.withStartedAt(site));
        }
        return withSites;
    }

    /** The grouped dump {@code threads <pid>} prints: a header line, then the groups. */
    public static String dump() {
        List<ThreadSnapshot> threads = capture();
        int groups = StackGroups.group(threads).size();
        String sites;
        String unknown;
        if (ThreadSites.recording()) {
            sites = "start sites recorded since " + new SimpleDateFormat("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                    .format(new Date(ThreadSites.since()));
            unknown = "started at: unknown (before start sites were recorded)";
        } else {
            sites = "start sites not recorded (set jchaos.threadSites=true, or attach with the jchaos command line)";
            unknown = null;
        }
        return threads.size() + " threads in " + groups + (groups == 1 ? " group" : " groups") + "; " + sites + "\n"
                + StackGroups.render(threads, unknown);
    }

    /**
     * The virtual threads of this JVM (JDK 21+; empty before).
     *
     * @param strict whether a dump that cannot be taken is an error ({@code IllegalStateException}), or just empty
     */
    public static List<ThreadSnapshot> virtualThreads(boolean strict) {
        if (Runtime.version().feature() < 21) {
            return List.of();
        }
        Path file = null;
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> formatType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object json = null;
            for (Object constant : formatType.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("JSON")) {
                    json = constant;
                }
            }
            if (json == null) {
                return List.of();
            }
            Object bean = ManagementFactory.getPlatformMXBean(beanType.asSubclass(PlatformManagedObject.class));
            Method dump = beanType.getMethod("dumpThreads", String.class, formatType);
            Path dir = Files.createTempDirectory("jchaos-threads");
            file = dir.resolve("dump.json");
            dump.invoke(bean, file.toString(), json);
            List<ThreadSnapshot> found = parseVirtual(Files.readString(file, StandardCharsets.UTF_8));
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
            return found;
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            if (strict) {
                throw new IllegalStateException("jchaos could not take a thread dump to find virtual threads", e);
            }
            return List.of(); // a dump without virtual threads is still a dump
        }
    }

    /** The virtual threads of a JDK JSON thread dump. */
    static List<ThreadSnapshot> parseVirtual(String json) {
        List<ThreadSnapshot> found = new ArrayList<>();
        Map<?, ?> root = (Map<?, ?>) ((Map<?, ?>) MiniJson.parse(json)).get("threadDump");
        for (Object container : (List<?>) root.get("threadContainers")) {
            for (Object t : (List<?>) ((Map<?, ?>) container).get("threads")) {
                Map<?, ?> thread = (Map<?, ?>) t;
                if (!Boolean.TRUE.equals(thread.get("virtual"))) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                if (thread.get("stack") instanceof List) {
                    for (Object frame : (List<?>) thread.get("stack")) {
                        frames.add((String) frame);
                    }
                }
                found.add(new ThreadSnapshot(Long.parseLong((String) thread.get("tid")), (String) thread.get("name"),
                        (String) thread.get("state"), frames, true, null));
            }
        }
        return found;
    }
}
