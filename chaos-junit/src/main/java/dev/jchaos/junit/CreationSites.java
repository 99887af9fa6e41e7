package dev.jchaos.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where threads were started, from a JFR recording of {@code jdk.ThreadStart} events with the starter's stack. The
 * recording runs from the first leak-checked test on and is read only when a leak is reported.
 */
final class CreationSites {

    private static final List<String> FRAMEWORK_PREFIXES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.jchaos.core.",
            "dev.jchaos.shaded.", "org.junit.", "org.apache.maven.surefire.", "net.bytebuddy.");

    private static CreationSites instance;

    private final Recording recording;

    private CreationSites(Recording recording) {
        this.recording = recording;
    }

    /** Starts the JVM's recording on first use; {@code null} when JFR is not available in this runtime. */
    static synchronized CreationSites start() {
        if (instance == null) {
            try {
                Recording recording = new Recording();
                recording.setName("jchaos-thread-starts");
                recording.enable("jdk.ThreadStart").withStackTrace();
                recording.setToDisk(true);
                recording.setMaxAge(Duration.ofMinutes(30));
                recording.setMaxSize(64L * 1024 * 1024);
                recording.start();
                instance = new CreationSites(recording);
            } catch (RuntimeException | LinkageError e) {
                System.err.println("[jchaos] JFR is unavailable, leak reports will not say where threads were "
                        + "started: " + e);
                instance = new CreationSites(null);
            }
        }
        return instance.recording == null ? null : instance;
    }

    /**
     * One {@code jdk.ThreadStart} event.
     *
     * @param starterId   the id of the thread that called {@code start()}
     * @param starterName its name
     * @param start       where it was started, for the report
     */
    record StartEvent(long starterId, String starterName, LeakedThread.Start start) {
    }

    /** The start event of every platform thread that {@code wanted} accepts (by thread id), by thread id. */
    Map<Long, StartEvent> startsOf(LongPredicate wanted) {
        Map<Long, StartEvent> starts = new HashMap<>();
        Path file = null;
        try {
            file = Files.createTempFile("jchaos-thread-starts", ".jfr");
            recording.dump(file);
            try (RecordingFile events = new RecordingFile(file)) {
                while (events.hasMoreEvents()) {
                    RecordedEvent event = events.readEvent();
                    if (!event.getEventType().getName().equals("jdk.ThreadStart")) {
                        continue;
                    }
                    RecordedThread started = event.getThread("thread");
                    if (started == null || !wanted.test(started.getJavaThreadId())) {
                        continue;
                    }
                    RecordedThread starter = event.getThread("parentThread");
                    RecordedStackTrace stack = event.getStackTrace();
                    starts.put(started.getJavaThreadId(), new StartEvent(
                            starter == null ? -1 : starter.getJavaThreadId(),
                            starter == null ? "?" : starter.getJavaName(),
                            new LeakedThread.Start(applicationFrame(stack), starter == null ? null
                                    : starter.getJavaName(), staticInitializer(stack))));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[jchaos] could not read thread start sites from JFR: " + e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
        return starts;
    }

    /** The {@code <clinit>} frame the thread was started from, the innermost application one first; or null. */
    static String staticInitializer(RecordedStackTrace stack) {
        if (stack == null) {
            return null;
        }
        RecordedFrame any = null;
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getName().equals("<clinit>")) {
                if (isApplication(frame.getMethod().getType().getName())) {
                    return format(frame);
                }
                any = any == null ? frame : any;
            }
        }
        return any == null ? null : format(any);
    }

    /** The first frame outside the JDK, JUnit and jchaos, or the first frame at all when there is none. */
    static String applicationFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return null;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (isApplication(type)) {
                return format(frame);
            }
        }
        return format(stack.getFrames().get(0)) + " (no application frame)";
    }

    static boolean isApplication(String className) {
        for (String prefix : FRAMEWORK_PREFIXES) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    private static String format(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        String file = (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
        int line = frame.getLineNumber();
        String where = line > 0 ? file + ":" + line : (frame.getType().equals("Native") ? "Native Method" : file);
        return type + "." + frame.getMethod().getName() + "(" + where + ")";
    }
}
