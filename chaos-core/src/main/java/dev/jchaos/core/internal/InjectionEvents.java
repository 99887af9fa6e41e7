package dev.jchaos.core.internal;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Emits {@link InjectionEvent}s. Callers see only {@code Object}, so that their classes load and verify on a runtime
 * without the {@code jdk.jfr} module; they call in only when {@link #PRESENT}.
 *
 * <p>Until something in the JVM starts Flight Recorder (a recording from {@code -XX:StartFlightRecording},
 * {@code jcmd JFR.start}, JMC or the {@code jdk.jfr} API) no recording can want the event, and an injection costs one
 * read of a static flag: JFR is not touched. Asking JFR for the event's type before that would start JFR's whole Java
 * side, about 200 ms and a few hundred classes on the thread that hit the point, so that the first
 * {@code delay(50ms)} of a JVM lasted 250 ms. Once Flight Recorder runs, the event type is looked up once (cheap
 * then) and each injection checks it: with no recording that enables {@code dev.jchaos.Injection} nothing is
 * allocated.
 */
final class InjectionEvents {

    /** Whether this runtime has JFR at all. */
    static final boolean PRESENT = present();
    /** The event's type, once Flight Recorder runs (a race between two first lookups finds the same type). */
    private static volatile EventType type;

    private InjectionEvents() {
    }

    private static boolean present() {
        try {
            if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
                return false;
            }
            FlightRecorder.isInitialized(); // links the class: it fails here, not on a point, if it cannot
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The event's type, or null while Flight Recorder does not run. */
    private static EventType type() {
        EventType known = type;
        if (known == null && FlightRecorder.isInitialized()) {
            known = EventType.getEventType(InjectionEvent.class);
            type = known;
        }
        return known;
    }

    /**
     * Looks the event's type up now if Flight Recorder runs, so that the first injection need not: registering the
     * event with a running recorder takes ~15 ms, better spent in {@code activate} than on the application's thread
     * at its first delayed call. Not from inside a class-file transformer: registering loads the event class.
     */
    static void prepare() {
        if (!PRESENT) {
            return;
        }
        try {
            type();
        } catch (RuntimeException | LinkageError e) {
            Guard.failed("looking up the JFR injection event", e);
        }
    }

    /** A started event when a recording wants it, else null. */
    static Object begin() {
        try {
            EventType known = type();
            if (known == null || !known.isEnabled()) {
                return null;
            }
            InjectionEvent event = new InjectionEvent();
            event.begin();
            return event;
        } catch (RuntimeException | LinkageError e) {
            Guard.failed("starting a JFR injection event", e);
            return null;
        }
    }

    /** Ends and commits {@code started} (from {@link #begin()}; null is ignored). */
    static void commit(Object started, String point, String action) {
        if (started == null) {
            return;
        }
        InjectionEvent event = (InjectionEvent) started;
        event.end();
        if (event.shouldCommit()) {
            event.point = point;
            event.action = action;
            event.commit();
        }
    }
}
