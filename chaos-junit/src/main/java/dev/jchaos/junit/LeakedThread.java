package dev.jchaos.junit;

import java.util.List;

/**
 * One thread that outlived its test, as seen at the end of the lingering period.
 *
 * @param id      the thread id (unique in the JVM, never reused)
 * @param name    the thread name, possibly empty for virtual threads
 * @param state   {@link Thread.State} name
 * @param frames  stack frames, innermost first, in {@link StackTraceElement#toString()} form
 * @param virtual whether it is a virtual thread
 * @param start   where and by whom it was started, or {@code null} when unknown
 */
record LeakedThread(long id, String name, String state, List<String> frames, boolean virtual, Start start) {

    LeakedThread {
        frames = List.copyOf(frames);
    }

    /**
     * How a thread was started, from its {@code jdk.ThreadStart} event.
     *
     * @param site              the first application frame of the starter's stack
     * @param starter           the name of the thread that started it
     * @param staticInitializer the {@code <clinit>} frame on the starter's stack, or {@code null} when none
     */
    record Start(String site, String starter, String staticInitializer) {
    }

    LeakedThread withStart(Start found) {
        return new LeakedThread(id, name, state, frames, virtual, found);
    }

    /** The name as shown in a report: unnamed (virtual) threads by id. */
    String displayName() {
        return name.isEmpty() ? "#" + id + (virtual ? " (virtual)" : "") : name;
    }
}
