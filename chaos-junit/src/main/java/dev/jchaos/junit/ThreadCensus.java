package dev.jchaos.junit;

import dev.jchaos.core.threads.ThreadSnapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Finds threads alive after a test that were not alive before it. The clean path reads only thread ids; stacks are
 * taken, and lingering threads waited for, only when something new is still alive.
 */
final class ThreadCensus {

    /** JVM, tool and framework threads that are never a test's leak. */
    static final List<String> BUILT_IN_IGNORES = List.of(
            "Attach Listener", "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner",
            "Notification Thread", "Service Thread", "Sweeper thread", "process reaper", "JFR .*",
            "jchaos-.*", "surefire-.*", "ForkJoinPool\\.commonPool-.*", "junit-.*",
            "VirtualThread-unparker", "VirtualThread-unblocker", "RMI .*", "JMX server connection timeout.*",
            "Monitor Ctrl-Break",
            "DestroyJavaVM", "CompletableFutureDelayScheduler", "Keep-Alive-Timer", "Keep-Alive-SocketCleaner",
            "idle-timeout-task");

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long FIRST_BACKOFF_MS = 5;

    private final Pattern ignored;

    ThreadCensus(List<String> extraIgnores) {
        List<String> all = new ArrayList<>(BUILT_IN_IGNORES);
        for (String regex : extraIgnores) {
            Pattern.compile(regex); // a bad user regex fails here, naming itself
            all.add(regex);
        }
        this.ignored = Pattern.compile("(?:" + String.join(")|(?:", all) + ")");
    }

    /** What was alive before a test. */
    static final class Baseline {
        private final long[] platformIds;
        final long idWatermark;
        private final long platformStarted;

        private Baseline(long[] platformIds, long idWatermark, long platformStarted) {
            this.platformIds = platformIds;
            this.idWatermark = idWatermark;
            this.platformStarted = platformStarted;
        }

        /** Whether the platform thread {@code id} was alive when the baseline was taken. */
        boolean wasAlive(long id) {
            return Arrays.binarySearch(platformIds, id) >= 0;
        }

        /** Whether the thread {@code id} was created (not only started) after the baseline was taken. */
        boolean createdAfter(long id) {
            return id > idWatermark;
        }
    }

    /** A leak found after lingering: the threads still alive, and for platform threads their objects by id. */
    record Leak(List<LeakedThread> threads, Map<Long, Thread> platformThreads) {

        boolean isEmpty() {
            return threads.isEmpty();
        }
    }

    static Baseline baseline() {
        long started = THREADS.getTotalStartedThreadCount();
        long[] ids = THREADS.getAllThreadIds();
        Arrays.sort(ids);
        return new Baseline(ids, nextThreadId(), started);
    }

    /**
     * Threads alive now that were not in {@code before} and are not ignored, re-checked with backoff until none is
     * left or {@code lingerMs} has passed.
     */
    Leak leaksSince(Baseline before, long lingerMs) throws InterruptedException {
        return leaksSince(before, lingerMs, Set.of());
    }

    /** As {@link #leaksSince(Baseline, long)}, leaving out the threads {@code excluded} (already reported). */
    Leak leaksSince(Baseline before, long lingerMs, Set<Long> excluded) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            List<Thread> platform = new ArrayList<>(newPlatformThreads(before));
            List<LeakedThread> virtual = new ArrayList<>(newVirtualThreads(before));
            platform.removeIf(thread -> excluded.contains(thread.getId()));
            virtual.removeIf(thread -> excluded.contains(thread.id()));
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if ((platform.isEmpty() && virtual.isEmpty()) || left <= 0) {
                return describe(platform, virtual);
            }
            Thread.sleep(Math.min(backoff, left));
            backoff = Math.min(backoff * 2, 200);
        }
    }

    /** Interrupts {@code threads} and waits up to {@code waitMs} in total for them to end; returns those still alive. */
    static List<Thread> interrupt(List<Thread> threads, long waitMs) throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        List<Thread> alive = new ArrayList<>();
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                thread.join(left);
            }
            if (thread.isAlive()) {
                alive.add(thread);
            }
        }
        return alive;
    }

    private List<Thread> newPlatformThreads(Baseline before) {
        long[] now = THREADS.getAllThreadIds();
        boolean anyNew = false;
        for (long id : now) {
            if (!before.wasAlive(id)) {
                anyNew = true;
                break;
            }
        }
        if (!anyNew) {
            return List.of();
        }
        List<Thread> found = new ArrayList<>();
        for (Thread thread : allPlatformThreads()) {
            if (!before.wasAlive(thread.getId()) && thread.isAlive()
                    && !isIgnored(thread)) {
                found.add(thread);
            }
        }
        return found;
    }

    private List<LeakedThread> newVirtualThreads(Baseline before) {
        VirtualThreads dumper = VirtualThreads.get();
        if (dumper == null) {
            return List.of();
        }
        // every Thread object takes the next id; if more ids were handed out than platform threads were started,
        // some were virtual (or never started) and only a dump can tell
        long idsIssued = nextThreadId() - before.idWatermark - 1;
        long platformStarted = THREADS.getTotalStartedThreadCount() - before.platformStarted;
        if (idsIssued <= platformStarted) {
            return List.of();
        }
        List<LeakedThread> found = new ArrayList<>();
        for (LeakedThread thread : dumper.aliveAbove(before.idWatermark)) {
            if (!ignored.matcher(thread.name()).matches()) {
                found.add(thread);
            }
        }
        return found;
    }

    private boolean isIgnored(Thread thread) {
        if (ignored.matcher(thread.getName()).matches()) {
            return true;
        }
        String type = thread.getClass().getName();
        if (type.startsWith("jdk.internal.misc.") || type.startsWith("org.junit.")) {
            return true; // JDK system threads (carriers, innocuous threads) and JUnit's parallel executor workers
        }
        return thread instanceof ForkJoinWorkerThread
                && ((ForkJoinWorkerThread) thread).getPool() == ForkJoinPool.commonPool();
    }

    private static Leak describe(List<Thread> platform, List<LeakedThread> virtual) {
        List<LeakedThread> leaked = new ArrayList<>();
        Map<Long, Thread> objects = new LinkedHashMap<>();
        for (Thread thread : platform) {
            List<String> frames = new ArrayList<>();
            for (StackTraceElement frame : thread.getStackTrace()) {
                frames.add(ThreadSnapshot.frame(frame));
            }
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED) {
                continue;
            }
            leaked.add(new LeakedThread(thread.getId(), thread.getName(), state.name(), frames, false, null));
            objects.put(thread.getId(), thread);
        }
        leaked.addAll(virtual);
        return new Leak(leaked, objects);
    }

    private static List<Thread> allPlatformThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[THREADS.getThreadCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(Arrays.copyOf(threads, n));
    }

    private static long nextThreadId() {
        // thread ids are handed out in increasing order and never reused; an unstarted, named probe costs no
        // thread-number and starts nothing
        return new Thread(null, null, "jchaos-id-probe", 1).getId();
    }
}
