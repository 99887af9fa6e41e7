package dev.jchaos.core.internal.jmx;

import java.beans.ConstructorProperties;

/** A point as JMX shows it: an open {@code CompositeData} with items id, declaredBy, actions and the counters. */
public final class PointInfo {

    private final String id;
    private final String declaredBy;
    private final String actions;
    private final long calls;
    private final long injections;
    private final long injectedNanos;
    private final int inFlight;

    @ConstructorProperties({"id", "declaredBy", "actions", "calls", "injections", "injectedNanos", "inFlight"})
    public PointInfo(String id, String declaredBy, String actions, long calls, long injections, long injectedNanos,
                     int inFlight) {
        this.id = id;
        this.declaredBy = declaredBy;
        this.actions = actions;
        this.calls = calls;
        this.injections = injections;
        this.injectedNanos = injectedNanos;
        this.inFlight = inFlight;
    }

    /** The point id. */
    public String getId() {
        return id;
    }

    /** The method that declared it. */
    public String getDeclaredBy() {
        return declaredBy;
    }

    /** Active actions, empty when inactive. */
    public String getActions() {
        return actions;
    }

    /** Calls while armed. */
    public long getCalls() {
        return calls;
    }

    /** Injected actions. */
    public long getInjections() {
        return injections;
    }

    /** Nanoseconds spent in injected delays and hangs. */
    public long getInjectedNanos() {
        return injectedNanos;
    }

    /** Threads inside a delay or hang now. */
    public int getInFlight() {
        return inFlight;
    }
}
