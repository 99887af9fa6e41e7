package dev.jchaos.core.internal;

import jdk.jfr.EventType;

/**
 * Emits {@link InjectionEvent}s. Callers see only {@code Object}, so that their classes load and verify on a runtime
 * without the {@code jdk.jfr} module; they call in only when {@link #PRESENT}. With no recording that asks for the
 * event nothing is allocated: one check of a cached event type.
 */
final class InjectionEvents {

    /** Whether this runtime has JFR at all. */
    static final boolean PRESENT = present();

    private InjectionEvents() {
    }

    private static boolean present() {
        try {
            return ModuleLayer.boot().findModule("jdk.jfr").isPresent() && Holder.TYPE != null;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static final class Holder {
        static final EventType TYPE = EventType.getEventType(InjectionEvent.class);
    }

    /** A started event when a recording wants it, else null. */
    static Object begin() {
        try {
            if (!Holder.TYPE.isEnabled()) {
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
