package dev.jchaos.junit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells a test's own leaked threads from threads that merely started during it: each leaked thread's line of
 * starters (from {@code jdk.ThreadStart}) is followed back until it reaches a thread that ran the test (the test's
 * own) or a thread that was alive before the test began (an earlier test's thread, such as a pool it left behind).
 */
final class Attribution {

    /** The JDK's shared pool runs the test's own tasks; its workers predate most tests but start nothing of their own. */
    private static final String COMMON_POOL_WORKER = "ForkJoinPool.commonPool-worker-";

    /** How many starters are followed at most; a chain this long is a pathological spawner. */
    private static final int MAX_HOPS = 1_000;

    private Attribution() {
    }

    /**
     * @param own      threads the test started, directly or through threads it started
     * @param earlier  threads started during the test by a thread that was alive before it
     * @param ancestor for each of {@code earlier}, the name of that thread which predates the test
     */
    record Verdict(List<LeakedThread> own, List<LeakedThread> earlier, Map<Long, String> ancestor) {

        boolean isEmpty() {
            return own.isEmpty() && earlier.isEmpty();
        }
    }

    /**
     * @param testThreads ids of the threads that ran the test's lifecycle (callbacks, the method, dynamic tests)
     * @param sites       the start recording, or {@code null} without JFR: every thread then counts as the test's
     */
    static Verdict of(List<LeakedThread> leaked, ThreadCensus.Baseline baseline, Set<Long> testThreads,
                      CreationSites sites) {
        if (leaked.isEmpty()) {
            return new Verdict(List.of(), List.of(), Map.of());
        }
        if (sites == null) {
            return new Verdict(leaked, List.of(), Map.of());
        }
        Set<Long> leakedIds = new HashSet<>();
        for (LeakedThread thread : leaked) {
            leakedIds.add(thread.id());
        }
        // the starters that matter were created during the test (ids only grow); older ones end the walk
        Map<Long, CreationSites.StartEvent> starts = sites.startsOf(id -> baseline.createdAfter(id)
                || leakedIds.contains(id));
        List<LeakedThread> own = new ArrayList<>();
        List<LeakedThread> earlier = new ArrayList<>();
        Map<Long, String> ancestors = new LinkedHashMap<>();
        for (LeakedThread thread : leaked) {
            CreationSites.StartEvent event = starts.get(thread.id());
            LeakedThread described = event == null ? thread : thread.withStart(event.start());
            String ancestor = earlierAncestor(thread.id(), starts, baseline, testThreads);
            if (ancestor == null) {
                own.add(described);
            } else {
                earlier.add(described);
                ancestors.put(thread.id(), ancestor);
            }
        }
        return new Verdict(own, earlier, ancestors);
    }

    /** The name of the predating thread that {@code id} descends from, or {@code null} when it is the test's. */
    private static String earlierAncestor(long id, Map<Long, CreationSites.StartEvent> starts,
                                          ThreadCensus.Baseline baseline, Set<Long> testThreads) {
        long current = id;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            CreationSites.StartEvent event = starts.get(current);
            if (event == null) {
                return null; // no record (a virtual thread, or started before the recording): blame the test
            }
            long starter = event.starterId();
            if (starter < 0 || testThreads.contains(starter) || event.starterName().startsWith(COMMON_POOL_WORKER)) {
                return null;
            }
            if (baseline.wasAlive(starter)) {
                return event.starterName();
            }
            current = starter;
        }
        return null;
    }
}
