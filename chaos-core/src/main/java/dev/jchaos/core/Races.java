package dev.jchaos.core;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Thread-safety violations at call sites of {@code java.util} collections that are not thread-safe, exposed the way
 * TSVD does: watched calls notice near misses (two threads on one instance close in time, at least one writing),
 * threads are then held at those call sites so a near miss becomes an overlap, and only overlaps that really
 * happened are reported. Reached through {@link Chaos#races()}; the agent must be installed.
 */
public interface Races {

    /**
     * Starts watching the call sites in classes matching {@code classGlobs} (binary names, {@code *} globs) until the
     * session stops. Accesses from two threads within {@code hold} of each other are near misses; a thread reaching a
     * call site of {@code holdAt} (sites as {@link RaceReport#suspects()} names them) is held there for up to
     * {@code hold} (decaying, bounded in total) while a trap waits for a conflicting access. Decisions are drawn from
     * {@code seed}. One session at a time.
     *
     * @throws IllegalStateException when another session is running, or no agent is installed
     * @throws ChaosConfigException  when a glob is malformed
     */
    Session watch(List<String> classGlobs, Duration hold, Collection<String> holdAt, long seed);

    /** Every violation found in this JVM so far (for {@code jchaos.races} in a running service), one per site pair. */
    List<RaceViolation> violations();

    /** A running watch. */
    interface Session extends AutoCloseable {

        /** Stops watching and releases any held thread; what was found. Idempotent. */
        RaceReport stop();

        @Override
        default void close() {
            stop();
        }
    }
}
