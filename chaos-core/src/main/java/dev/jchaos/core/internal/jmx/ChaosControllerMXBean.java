package dev.jchaos.core.internal.jmx;

/**
 * {@code dev.jchaos:type=ChaosController}: the controller as an operator sees it in jconsole or a JMX script. Actions
 * are written in the action language; bad input is rejected with a message that quotes it.
 */
public interface ChaosControllerMXBean {

    /** The master switch: nothing fires while it is false. */
    boolean isEnabled();

    void setEnabled(boolean enabled);

    /** Active points, each {@code id=actions}. */
    String[] getActivePoints();

    /** Every known point with its statistics (open CompositeData items: id, declaredBy, actions, calls, ...). */
    PointInfo[] getPoints();

    /** Active activations, each {@code pattern=actions} (empty actions: the points' declared defaults). */
    String[] getActivations();

    /**
     * Thread-safety violations found in this JVM (race watching, {@code jchaos.races}), one line per pair of call
     * sites: {@code java.util.HashMap: put while get at A while B (seen 2 times)}.
     */
    String[] getRaces();

    /** The seed of every random draw. */
    long getSeed();

    /** Activates {@code pattern} with {@code actions} (blank: the declared defaults). */
    void activate(String pattern, String actions);

    void deactivate(String pattern);

    /** The kill switch: deactivates everything and releases every held thread. */
    void deactivateAll();

    /** Re-reads the {@code jchaos.*} system properties. */
    void reload();

    /** Halt conditions checked every second while armed, such as {@code threads.growth>200}; empty for none. */
    String getHaltWhen();

    /** Replaces the halt conditions (blank: none); malformed ones are refused with the column, nothing changed. */
    void setHaltWhen(String conditions);

    /** How long after arming everything is disarmed, such as {@code 30s}; empty for never. */
    String getTtl();

    /** Sets the ttl ({@code 30s}, {@code 5m}; blank or {@code 0} for never), counted from now when armed. */
    void setTtl(String ttl);

    /** This JVM's live threads grouped pprof style, with where each group was started where that is known. */
    String threads();
}
