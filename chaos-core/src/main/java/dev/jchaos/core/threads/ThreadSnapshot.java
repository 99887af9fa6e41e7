package dev.jchaos.core.threads;

import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread as a dump shows it.
 *
 * @param id        the thread id (unique in the JVM, never reused)
 * @param name      the thread name, possibly empty for virtual threads
 * @param state     {@link Thread.State} name
 * @param frames    stack frames, innermost first, in {@link StackTraceElement#toString()} form
 * @param virtual   whether it is a virtual thread
 * @param startedAt where it was started (the first application frame of its starter), or {@code null} when unknown
 */
public record ThreadSnapshot(long id, String name, String state, List<String> frames, boolean virtual,
                             String startedAt) {

    public ThreadSnapshot {
        name = name == null ? "" : name;
        state = state == null ? "UNKNOWN" : state;
        frames = List.copyOf(frames);
    }

    /** A platform thread as the thread MXBean reports it. */
    public static ThreadSnapshot of(ThreadInfo info) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : info.getStackTrace()) {
            frames.add(frame.toString());
        }
        return new ThreadSnapshot(info.getThreadId(), info.getThreadName(), info.getThreadState().name(), frames,
                false, null);
    }

    /**
     * One frame as jchaos's reports print it: like {@link StackTraceElement#toString()} without the class loader's
     * name or the module's version, so a report reads the same whichever loader or JDK build ran the code.
     */
    public static String frame(StackTraceElement frame) {
        String module = frame.getModuleName() == null ? "" : frame.getModuleName() + "/";
        String where;
        if (frame.isNativeMethod()) {
            where = "Native Method";
        } else if (frame.getFileName() == null) {
            where = "Unknown Source";
        } else if (frame.getLineNumber() >= 0) {
            where = frame.getFileName() + ":" + frame.getLineNumber();
        } else {
            where = frame.getFileName();
        }
        return module + frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
    }

    /** The same thread with {@code site} as where it was started. */
    public ThreadSnapshot withStartedAt(String site) {
        return new ThreadSnapshot(id, name, state, frames, virtual, site);
    }

    /** The name as a dump shows it: unnamed (virtual) threads by id. */
    public String displayName() {
        return name.isEmpty() ? "#" + id + (virtual ? " (virtual)" : "") : name;
    }
}
