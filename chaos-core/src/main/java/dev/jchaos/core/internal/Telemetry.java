package dev.jchaos.core.internal;

import java.util.function.Consumer;

/**
 * What the metrics read from the JVM's one controller, whichever copy of jchaos binds them: the controlling copy
 * reads its engine, another copy reads it through the hub's channel.
 */
public interface Telemetry {

    /** Points with active actions. */
    int activePointCount();

    /** Live threads minus live threads when chaos was last enabled. */
    long threadGrowth();

    /** Thread-safety violations seen on instances of {@code collection} (race watching). */
    long races(String collection);
    /** Activations applied so far ({@code activate}, {@code setActivations}, a reload with points). */
    long activationCount();

    /** Times the halt conditions stopped chaos so far. */
    long haltCount();

    /** Calls {@code listener} once for every point, now and later (on a jchaos thread). */
    void onPoint(Consumer<? super PointStats> listener);

    /** Calls {@code listener} once for every timeout source, now and later. */
    void onTimeoutSource(Consumer<? super SourceStats> listener);

    /** A point's live statistics. */
    interface PointStats {
        String id();

        long calls();

        /** Injections of one action: {@code delay}, {@code hang} or {@code throw}. */
        long injections(String action);

        long injectedNanos();

        long injectedWaits();

        int inFlight();
    }

    /** A timeout source's live statistics. */
    interface SourceStats {
        String name();

        long timeouts();

        double rate();
    }
}
