package dev.jchaos.core.internal.threads;

import dev.jchaos.core.internal.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where threads were started, from a JFR recording of {@code jdk.ThreadStart} events with the starter's stack, kept
 * from {@link #start()} on (property {@code jchaos.threadSites}, or an attach by the command line) and read only when
 * someone asks for a dump. JFR records the stack in native code when a thread starts: a few microseconds per thread
 * start, nothing at all on any other path (see the README for the measurement that chose it).
 */
public final class ThreadSites {

    /** Frames of these packages are never a start site: the site is the first frame of the code that asked. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.jchaos.core.",
            "dev.jchaos.shaded.", "org.junit.", "org.apache.maven.surefire.", "net.bytebuddy.");
    private static final long MAX_BYTES = 32L * 1024 * 1024;

    /** Set while start sites are recorded (since when, epoch ms), so the command line can tell without JMX. */
    public static final String RECORDING_PROPERTY = "jchaos.threadSites.since";
    /** {@link #RECORDING_PROPERTY}'s value where they cannot be recorded (no JFR). */
    public static final String UNAVAILABLE = "unavailable";

    private static Recording recording;
    private static long since;

    private ThreadSites() {
    }

    /** Starts recording thread starts, if not already; false when this runtime has no JFR. */
    public static synchronized boolean start() {
        if (recording != null) {
            return true;
        }
        try {
            Recording r = new Recording();
            r.setName("jchaos-thread-sites");
            r.enable("jdk.ThreadStart").withStackTrace();
            r.setToDisk(true);
            r.setMaxSize(MAX_BYTES);
            r.start();
            recording = r;
            since = System.currentTimeMillis();
            System.setProperty(RECORDING_PROPERTY, Long.toString(since));
            return true;
        } catch (RuntimeException | LinkageError e) {
            Log.stderr("thread start sites cannot be recorded on this JVM (no JFR): " + e);
            System.setProperty(RECORDING_PROPERTY, UNAVAILABLE);
            return false;
        }
    }

    /** Stops recording and forgets what was recorded. */
    public static synchronized void stop() {
        if (recording != null) {
            try {
                recording.close();
            } catch (RuntimeException e) {
                Log.warn("could not close the thread start recording", e);
            }
            recording = null;
            System.clearProperty(RECORDING_PROPERTY);
        }
    }

    /** Whether thread starts are being recorded. */
    public static synchronized boolean recording() {
        return recording != null;
    }

    /** When recording began, in milliseconds since the epoch, or 0. */
    public static synchronized long since() {
        return recording == null ? 0 : since;
    }

    /** The start site of each of {@code threadIds} that has one recorded; empty when nothing is recorded. */
    public static Map<Long, String> of(Set<Long> threadIds) {
        Recording r;
        synchronized (ThreadSites.class) {
            r = recording;
        }
        Map<Long, String> sites = new HashMap<>();
        if (r == null) {
            return sites;
        }
        Path file = null;
        try {
            file = Files.createTempFile("jchaos-thread-sites", ".jfr");
            r.dump(file);
            try (RecordingFile events = new RecordingFile(file)) {
                while (events.hasMoreEvents()) {
                    RecordedEvent event = events.readEvent();
                    if (!event.getEventType().getName().equals("jdk.ThreadStart")) {
                        continue;
                    }
                    RecordedThread started = event.getThread("thread");
                    if (started != null && threadIds.contains(started.getJavaThreadId())) {
                        String site = applicationFrame(event.getStackTrace());
                        if (site != null) {
                            sites.put(started.getJavaThreadId(), site);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.stderr("could not read thread start sites from JFR: " + e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
        return sites;
    }

    /** The first frame outside the JDK, test frameworks and jchaos, or the first frame at all when there is none. */
    static String applicationFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return null;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            if (isApplication(frame.getMethod().getType().getName())) {
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
