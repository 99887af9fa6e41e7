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
}
