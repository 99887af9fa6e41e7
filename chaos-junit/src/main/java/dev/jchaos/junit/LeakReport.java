package dev.jchaos.junit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders leaked threads pprof style: one group per identical state and stack, largest group first. */
final class LeakReport {

    private static final String UNKNOWN_SITE = "started at: unknown (no jdk.ThreadStart event recorded for it)";

    private LeakReport() {
    }

    /** A set of threads with the same state and the same frames. */
    record Group(String state, List<String> frames, List<LeakedThread> threads) {

        Set<String> startSites() {
            Set<String> sites = new LinkedHashSet<>();
            for (LeakedThread thread : threads) {
                sites.add(thread.startedAt());
            }
            return sites;
        }
    }

    static List<Group> group(List<LeakedThread> leaked) {
        Map<List<String>, List<LeakedThread>> byKey = new LinkedHashMap<>();
        for (LeakedThread thread : leaked) {
            List<String> key = new ArrayList<>(thread.frames().size() + 1);
            key.add(thread.state());
            key.addAll(thread.frames());
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(thread);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<List<String>, List<LeakedThread>> entry : byKey.entrySet()) {
            List<String> key = entry.getKey();
            List<LeakedThread> threads = entry.getValue();
            threads.sort((a, b) -> a.displayName().compareTo(b.displayName()));
            groups.add(new Group(key.get(0), key.subList(1, key.size()), threads));
        }
        // stable sort keeps first-seen order among groups of equal size
        groups.sort((a, b) -> Integer.compare(b.threads().size(), a.threads().size()));
        return groups;
    }

    /**
     * The leak part of the report.
     *
     * @param testName such as {@code OrderServiceTest.placeOrder()}
     * @param zombies  leaked threads that were still alive after being interrupted
     */
    static String render(String testName, List<LeakedThread> leaked, List<LeakedThread> zombies) {
        StringBuilder out = new StringBuilder();
        int count = leaked.size();
        out.append(count).append(count == 1 ? " thread" : " threads").append(" leaked by ").append(testName)
                .append(":\n");
        for (Group group : group(leaked)) {
            out.append("  ").append(group.threads().size()).append(" @ ").append(group.state()).append("  [");
            for (int i = 0; i < group.threads().size(); i++) {
                out.append(i == 0 ? "" : ", ").append(group.threads().get(i).displayName());
            }
            out.append("]\n");
            if (group.frames().isEmpty()) {
                out.append("      (no Java frames)\n");
            }
            for (String frame : group.frames()) {
                out.append("      at ").append(frame).append('\n');
            }
            for (String site : group.startSites()) {
                out.append("      ").append(site == null ? UNKNOWN_SITE : "started at " + site).append('\n');
            }
        }
        if (!zombies.isEmpty()) {
            out.append("  ").append(zombies.size()).append(zombies.size() == 1 ? " thread" : " threads")
                    .append(" still alive after interrupt (zombies, never counted against later tests): [");
            for (int i = 0; i < zombies.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(zombies.get(i).displayName());
            }
            out.append("]\n");
        }
        return out.toString();
    }
}
