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
    private static final String REGEX_METACHARACTERS = "\\.[]{}()*+?^$|";

    private LeakReport() {
    }

    /** A set of threads with the same state and the same frames. */
    record Group(String state, List<String> frames, List<LeakedThread> threads) {
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
     * The leak part of the report: the test's own leaked threads, then (in a section of their own) threads an
     * earlier test's thread started during it.
     *
     * @param testName        such as {@code OrderServiceTest.placeOrder()}
     * @param earlierCounted  whether the earlier tests' threads fail this test too
     */
    static String render(String testName, Attribution.Verdict verdict, boolean earlierCounted) {
        StringBuilder out = new StringBuilder();
        List<LeakedThread> own = verdict.own();
        List<LeakedThread> earlier = verdict.earlier();
        if (!own.isEmpty()) {
            out.append(threads(own.size())).append(" leaked by ").append(testName).append(":\n");
            appendGroups(out, own, Map.of());
        }
        if (!earlier.isEmpty()) {
            out.append(threads(earlier.size())).append(" started during ")
                    .append(own.isEmpty() ? testName : "the test")
                    .append(" by an earlier test's thread (")
                    .append(earlierCounted ? "counted against this test: failOnThreadsFromEarlierTests = true"
                            : "not counted against this test; failOnThreadsFromEarlierTests = true counts them")
                    .append("):\n");
            appendGroups(out, earlier, verdict.ancestor());
        }
        return out.toString();
    }

    private static void appendGroups(StringBuilder out, List<LeakedThread> threads, Map<Long, String> ancestors) {
        for (Group group : group(threads)) {
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
            Set<String> sites = new LinkedHashSet<>();
            String staticInitializer = null;
            for (LeakedThread thread : group.threads()) {
                sites.add(startLine(thread, ancestors.get(thread.id())));
                if (thread.start() != null && thread.start().staticInitializer() != null && staticInitializer == null) {
                    staticInitializer = thread.start().staticInitializer();
                }
            }
            for (String site : sites) {
                out.append("      ").append(site).append('\n');
            }
            if (staticInitializer != null) {
                out.append("      likely a process-wide singleton: started inside the static initializer ")
                        .append(staticInitializer).append(",\n")
                        .append("      so it is reported against whichever test first used it; ")
                        .append(ignoreAdvice(group.threads())).append('\n');
            }
        }
    }

    private static String startLine(LeakedThread thread, String ancestor) {
        LeakedThread.Start start = thread.start();
        if (start == null || start.site() == null) {
            if (thread.virtual()) {
                String runs = entryFrame(thread.frames());
                return "started at: unknown (the JDK records no start stack for virtual threads)"
                        + (runs == null ? "" : "; it runs " + runs);
            }
            return UNKNOWN_SITE;
        }
        String line = "started at " + start.site();
        if (ancestor == null) {
            return line;
        }
        if (ancestor.equals(start.starter())) {
            return line + " by " + ancestor + ", alive before this test";
        }
        return line + " by " + start.starter() + ", started by " + ancestor + ", alive before this test";
    }

    /** The outermost application frame of a stack, where its task begins. */
    private static String entryFrame(List<String> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String frame = frames.get(i);
            int paren = frame.indexOf('(');
            String method = paren < 0 ? frame : frame.substring(0, paren);
            String type = method.substring(method.indexOf('/') + 1);
            int dot = type.lastIndexOf('.');
            if (dot > 0 && CreationSites.isApplication(type.substring(0, dot))) {
                return frame;
            }
        }
        return null;
    }

    private static String ignoreAdvice(List<LeakedThread> threads) {
        String regex = ignoreRegex(threads);
        if (regex == null) {
            return "it has no name, so ignoreThreads cannot match it";
        }
        return "to ignore it: @DetectThreadLeaks(ignoreThreads = \"" + regex.replace("\\", "\\\\") + "\")";
    }

    /** A regex matching every one of {@code threads}' names, digits generalised; {@code null} if one is unnamed. */
    static String ignoreRegex(List<LeakedThread> threads) {
        Set<String> patterns = new LinkedHashSet<>();
        for (LeakedThread thread : threads) {
            if (thread.name().isEmpty()) {
                return null;
            }
            patterns.add(generalise(thread.name()));
        }
        return String.join("|", patterns);
    }

    private static String generalise(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isDigit(c)) {
                while (i + 1 < name.length() && isDigit(name.charAt(i + 1))) {
                    i++;
                }
                out.append("\\d+");
            } else {
                if (REGEX_METACHARACTERS.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The digits the regex {@code \d} matches: ASCII only. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String threads(int count) {
        return count + (count == 1 ? " thread" : " threads");
    }
}
