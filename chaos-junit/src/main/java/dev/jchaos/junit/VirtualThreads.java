package dev.jchaos.junit;

import dev.jchaos.core.threads.ThreadSnapshot;
import dev.jchaos.core.threads.VirtualThreadDump;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sees virtual threads, which {@link Thread#getAllStackTraces()} and the thread MXBean do not, through chaos-core's
 * {@link VirtualThreadDump} (the JDK's JSON thread dump, JDK 21+). Dumps are counted: the clean path takes none.
 */
final class VirtualThreads {

    private static final AtomicLong DUMPS = new AtomicLong();
    private static final VirtualThreads INSTANCE = VirtualThreadDump.available() ? new VirtualThreads() : null;

    private VirtualThreads() {
    }

    /** The dumper of this JVM, or {@code null} before JDK 21 (no virtual threads to see). */
    static VirtualThreads get() {
        return INSTANCE;
    }

    /** How many dumps this JVM has taken; the clean path takes none. */
    static long dumps() {
        return DUMPS.get();
    }

    /** Virtual threads alive now whose id is above {@code idWatermark} (created after it), with their stacks. */
    List<LeakedThread> aliveAbove(long idWatermark) {
        DUMPS.incrementAndGet();
        return above(VirtualThreadDump.capture(), idWatermark);
    }

    static List<LeakedThread> above(List<ThreadSnapshot> threads, long idWatermark) {
        List<LeakedThread> found = new ArrayList<>();
        for (ThreadSnapshot t : threads) {
            if (t.id() > idWatermark) {
                found.add(new LeakedThread(t.id(), t.name(), t.state(), t.frames(), true, null));
            }
        }
        return found;
    }
}
