package dev.jchaos.junit;

import dev.jchaos.core.threads.StackGroup;
import dev.jchaos.core.threads.StackGroups;
import dev.jchaos.core.threads.ThreadSnapshot;
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

    /** A set of threads with the same state and the same frames, grouped as chaos-core's {@link StackGroups} does. */
    record Group(String state, List<String> frames, List<LeakedThread> threads) {
    }

    static List<Group> group(List<LeakedThread> leaked) {
        Map<Long, LeakedThread> byId = new LinkedHashMap<>();
        for (LeakedThread thread : leaked) {
            byId.put(thread.id(), thread);
        }
        List<Group> groups = new ArrayList<>();
        for (StackGroup group : StackGroups.group(snapshots(leaked))) {
            groups.add(new Group(group.state(), group.frames(), members(group, byId)));
        }
        return groups;
    }

    private static List<ThreadSnapshot> snapshots(List<LeakedThread> threads) {
        List<ThreadSnapshot> snapshots = new ArrayList<>(threads.size());
        for (LeakedThread t : threads) {
            snapshots.add(new ThreadSnapshot(t.id(), t.name(), t.state(), t.frames(), t.virtual(),
                    t.start() == null ? null : t.start().site()));
        }
        return snapshots;
    }

    private static List<LeakedThread> members(StackGroup group, Map<Long, LeakedThread> byId) {
        List<LeakedThread> members = new ArrayList<>(group.threads().size());
        for (ThreadSnapshot t : group.threads()) {
            members.add(byId.get(t.id()));
        }
        return members;
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

    /** chaos-core's grouped printer, with where each group's threads came from as this report knows it. */
    private static void appendGroups(StringBuilder out, List<LeakedThread> threads, Map<Long, String> ancestors) {
        Map<Long, LeakedThread> byId = new LinkedHashMap<>();
        for (LeakedThread thread : threads) {
            byId.put(thread.id(), thread);
        }
        out.append(StackGroups.renderWith(snapshots(threads), group -> {
            List<LeakedThread> members = members(group, byId);
            Set<String> lines = new LinkedHashSet<>();
            String staticInitializer = null;
            for (LeakedThread thread : members) {
                lines.add(startLine(thread, ancestors.get(thread.id())));
                if (thread.start() != null && thread.start().staticInitializer() != null && staticInitializer == null) {
                    staticInitializer = thread.start().staticInitializer();
                }
            }
            List<String> trailer = new ArrayList<>(lines);
            if (staticInitializer != null) {
                trailer.add("likely a process-wide singleton: started inside the static initializer "
                        + staticInitializer + ",");
                trailer.add("so it is reported against whichever test first used it; " + ignoreAdvice(members));
            }
            return trailer;
        }));
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
