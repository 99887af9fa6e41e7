package dev.jchaos.core.threads;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Threads grouped the way pprof groups goroutines ({@code goroutine?debug=2}): one group per identical state and
 * stack, the biggest group first, each printed as {@code 3 @ WAITING  [names]}, its frames and where its threads were
 * started. The command line's {@code threads <pid>} and chaos-junit's leak report print these same lines.
 */
public final class StackGroups {

    private StackGroups() {
    }

    /** Names in the order a reader counts them: {@code worker-2} before {@code worker-10}. */
    static int naturally(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (asciiDigit(x) && asciiDigit(y)) {
                int ei = i;
                while (ei < a.length() && asciiDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && asciiDigit(b.charAt(ej))) {
                    ej++;
                }
                // compare the runs as numbers of any length: leading zeros aside, the longer run is bigger
                String ra = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String rb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = ra.length() != rb.length() ? Integer.compare(ra.length(), rb.length()) : ra.compareTo(rb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    /** ASCII digits only: with other scripts' digits mixed in, the order would not be transitive. */
    private static boolean asciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The groups of {@code threads}: biggest first, groups of equal size in the order their first thread came. */
    public static List<StackGroup> group(Collection<ThreadSnapshot> threads) {
        Map<List<String>, List<ThreadSnapshot>> byKey = new LinkedHashMap<>();
        for (ThreadSnapshot thread : threads) {
            List<String> key = new ArrayList<>(thread.frames().size() + 1);
            key.add(thread.state());
            key.addAll(thread.frames());
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(thread);
        }
        List<StackGroup> groups = new ArrayList<>();
        for (Map.Entry<List<String>, List<ThreadSnapshot>> entry : byKey.entrySet()) {
            List<String> key = entry.getKey();
            List<ThreadSnapshot> members = entry.getValue();
            members.sort(Comparator.comparing(ThreadSnapshot::displayName, StackGroups::naturally));
            groups.add(new StackGroup(key.get(0), key.subList(1, key.size()), members));
        }
        // a stable sort keeps first-seen order among groups of equal size
        groups.sort((a, b) -> Integer.compare(b.threads().size(), a.threads().size()));
        return groups;
    }

    /**
     * The groups of {@code threads}, one block each:
     * <pre>
     *   2 @ WAITING  [pricing-1, pricing-2]
     *       at java.base/jdk.internal.misc.Unsafe.park(Native Method)
     *       ...
     *       started at com.acme.OrderService.placeOrder(OrderService.java:24)
     * </pre>
     *
     * @param unknownSite the line printed (after the indent) for threads whose start site is unknown, such as
     *                    {@code started at: unknown}; {@code null} prints nothing for them
     */
    public static String render(Collection<ThreadSnapshot> threads, String unknownSite) {
        return renderWith(threads, group -> {
            List<String> lines = new ArrayList<>();
            for (String site : group.startSites()) {
                if (site != null) {
                    lines.add("started at " + site);
                } else if (unknownSite != null) {
                    lines.add(unknownSite);
                }
            }
            return lines;
        });
    }

    /**
     * The groups of {@code threads}, each its header and frames followed by the lines {@code trailer} gives for it
     * (indented like the frames): a report that knows more about where its threads came from says it there.
     */
    public static String renderWith(Collection<ThreadSnapshot> threads, Function<StackGroup, List<String>> trailer) {
        StringBuilder out = new StringBuilder();
        for (StackGroup group : group(threads)) {
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
            for (String line : trailer.apply(group)) {
                out.append("      ").append(line).append('\n');
            }
        }
        return out.toString();
    }
}
