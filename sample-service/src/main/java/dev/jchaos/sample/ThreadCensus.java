package dev.jchaos.sample;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the live threads that belong to the service under test: every thread except the experiment's own
 * tooling ({@code jchaos-*}, the JMX connector's RMI threads, threads registered with {@link #markTooling}) and
 * the JIT compiler's threads.
 */
final class ThreadCensus {

    // JIT compiler threads come and go with compilation work, JFR's with the chaos phase's recording; they are the
    // JVM's, not the service's.
    private static final List<String> TOOLING_PREFIXES = List.of("jchaos-", "RMI ", "JMX ", "GC Daemon",
            "C1 CompilerThread", "C2 CompilerThread", "JFR ");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Set<Long> toolingIds = ConcurrentHashMap.newKeySet();

    /** Treats every thread alive now and absent from {@code before} as tooling. */
    void markTooling(Collection<Long> before) {
        for (long id : threads.getAllThreadIds()) {
            if (!before.contains(id)) {
                toolingIds.add(id);
            }
        }
    }

    /** Ids of all live threads. */
    Set<Long> allIds() {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        for (long id : threads.getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    /** The service's live threads with up to {@code depth} frames each. */
    List<ThreadInfo> serviceThreads(int depth) {
        List<ThreadInfo> service = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), depth)) {
            if (info != null && !isTooling(info.getThreadId(), info.getThreadName())) {
                service.add(info);
            }
        }
        return service;
    }

    /** How many of the service's threads are alive. */
    int serviceThreadCount() {
        return serviceThreads(0).size();
    }

    private boolean isTooling(long id, String name) {
        return toolingIds.contains(id) || TOOLING_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * Groups {@code stayed} by state, name pattern (digits replaced by {@code N}) and stack, largest group first.
     */
    static List<ThreadGroupReport> group(List<ThreadInfo> stayed, int frames) {
        Map<String, ThreadGroupReport> groups = new LinkedHashMap<>();
        for (ThreadInfo info : stayed) {
            StackTraceElement[] stack = info.getStackTrace();
            List<String> lines = new ArrayList<>();
            for (StackTraceElement frame : Arrays.copyOf(stack, Math.min(frames, stack.length))) {
                lines.add(frame.toString());
            }
            String pattern = info.getThreadName().replaceAll("\\d+", "N");
            String key = info.getThreadState() + "|" + pattern + "|" + String.join("|", lines);
            groups.computeIfAbsent(key, k -> new ThreadGroupReport(info.getThreadState().name(), pattern,
                    new ArrayList<>(), lines)).names().add(info.getThreadName());
        }
        List<ThreadGroupReport> sorted = new ArrayList<>(groups.values());
        sorted.sort((a, b) -> Integer.compare(b.names().size(), a.names().size()));
        return sorted;
    }

    /**
     * Threads sharing a state, name pattern and stack.
     *
     * @param state   thread state
     * @param pattern thread name with digits replaced by {@code N}
     * @param names   the threads' names
     * @param stack   top frames
     */
    record ThreadGroupReport(String state, String pattern, List<String> names, List<String> stack) {
    }
}
