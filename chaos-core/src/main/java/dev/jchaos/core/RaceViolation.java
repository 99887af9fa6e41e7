package dev.jchaos.core;

import dev.jchaos.core.threads.ThreadSnapshot;

import java.util.List;

/**
 * Two threads inside calls on one instance of a collection that is not thread-safe at the same time, at least one of
 * them writing.
 *
 * @param collection the collection's class, such as {@code java.util.HashMap}
 * @param held       the call a thread was held at when the other came in
 * @param other      the conflicting call
 * @param seen       how often this pair of call sites overlapped (the operations shown are the first overlap's)
 */
public record RaceViolation(String collection, Access held, Access other, int seen) {

    /**
     * One side of a violation.
     *
     * @param operation the method called, such as {@code put}
     * @param site      the call site, {@code fqcn.method(File.java:line)}
     * @param thread    the thread's name
     * @param stack     its stack at the call, innermost (the call site) first
     */
    public record Access(String operation, String site, String thread, List<StackTraceElement> stack) {

        public Access {
            stack = List.copyOf(stack);
        }
    }

    /** Frames of each stack a report shows before {@code ...}. */
    private static final int FRAMES = 8;

    /** {@code put while get}: what the other thread did while the held one was at its call. */
    public String summary() {
        return other.operation() + " while " + held.operation();
    }

    /**
     * The violation as reports show it (chaos-junit's and the running service's):
     * <pre>
     *   java.util.HashMap: put while put on one instance (seen 3 times)
     *     adder-1  put
     *       at com.acme.Tally.add(Tally.java:12)
     *       ...
     *     adder-2  put
     *       at com.acme.Tally.add(Tally.java:12)
     *       ...
     * </pre>
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("  ").append(collection).append(": ").append(summary()).append(" on one instance");
        if (seen > 1) {
            out.append(" (seen ").append(seen).append(" times)");
        }
        out.append('\n');
        for (Access access : new Access[] {held, other}) {
            out.append("    ").append(access.thread()).append("  ").append(access.operation()).append('\n');
            int shown = Math.min(FRAMES, access.stack().size());
            for (int i = 0; i < shown; i++) {
                out.append("      at ").append(ThreadSnapshot.frame(access.stack().get(i))).append('\n');
            }
            if (access.stack().size() > shown) {
                out.append("      ...\n");
            }
        }
        return out.toString();
    }


    /** One line: {@code java.util.HashMap: put while get, Registry.java:20 / Report.java:31 (seen 2 times)}. */
    public String line() {
        return collection + ": " + summary() + " at " + other.site() + " while " + held.site()
                + (seen > 1 ? " (seen " + seen + " times)" : "");
    }
}
