package dev.jchaos.core.threads;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Threads with the same state and the same frames, named in order.
 *
 * @param state   the threads' {@link Thread.State} name
 * @param frames  their frames, innermost first
 * @param threads the threads, ordered by display name
 */
public record StackGroup(String state, List<String> frames, List<ThreadSnapshot> threads) {

    public StackGroup {
        frames = List.copyOf(frames);
        threads = List.copyOf(threads);
    }

    /** Where the group's threads were started, in order of first appearance; {@code null} stands for unknown. */
    public Set<String> startSites() {
        Set<String> sites = new LinkedHashSet<>();
        for (ThreadSnapshot thread : threads) {
            sites.add(thread.startedAt());
        }
        return sites;
    }
}
