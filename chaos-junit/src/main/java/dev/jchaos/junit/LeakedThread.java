package dev.jchaos.junit;

import java.util.List;

/**
 * One thread that outlived its test, as seen at the end of the lingering period.
 *
 * @param id        the thread id (unique in the JVM, never reused)
 * @param name      the thread name, possibly empty for virtual threads
 * @param state     {@link Thread.State} name
 * @param frames    stack frames, innermost first, in {@link StackTraceElement#toString()} form
 * @param virtual   whether it is a virtual thread
 * @param startedAt the first application frame of the code that started it, or {@code null} when unknown
 */
record LeakedThread(long id, String name, String state, List<String> frames, boolean virtual, String startedAt) {

    LeakedThread {
        frames = List.copyOf(frames);
    }

    LeakedThread withStartedAt(String site) {
        return new LeakedThread(id, name, state, frames, virtual, site);
    }

    /** The name as shown in a report: unnamed (virtual) threads by id. */
    String displayName() {
        return name.isEmpty() ? "#" + id + (virtual ? " (virtual)" : "") : name;
    }
}
