package dev.jchaos.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns injection on and off at run time. There is one per JVM, reached through {@link Chaos#controller()} and
 * exposed over JMX as {@code dev.jchaos:type=ChaosController}. Actions are written in the action language:
 * {@code 25%delay(50ms..300ms)}, {@code 3*throw(java.net.SocketTimeoutException,Read timed out)->off},
 * {@code hang(5s)}.
 */
public interface ChaosController {

    /** Whether the master switch is on; nothing fires while it is off. */
    boolean isEnabled();

    /** Flips the master switch. Turning it off releases every thread inside a delay or hang. */
    void setEnabled(boolean enabled);

    /**
     * Activates the points matching {@code pattern} (an id, {@code *} globs allowed) with {@code actions}; points
     * that appear later and match are active too. Blank or {@code null} actions mean each point's own
     * {@code @InjectDelay} attributes. An id of the form {@code fqcn#method} that no annotation declares makes that
     * method a point (the agent weaves it). Re-activating a pattern replaces its actions and releases threads
     * waiting under the old ones.
     *
     * @throws ChaosConfigException when the pattern or actions are malformed; nothing is applied then
     */
    void activate(String pattern, String actions);

    /**
     * Deactivates {@code pattern} and every activation whose pattern it matches, releasing threads inside their
     * delays and hangs.
     *
     * @throws ChaosConfigException when the pattern is malformed
     */
    void deactivate(String pattern);

    /** The kill switch: deactivates everything and releases every thread inside a delay or hang at once. */
    void deactivateAll();

    /**
     * Reads the {@code jchaos.*} system properties again and applies them as a whole: activations are replaced by
     * {@code jchaos.points}.
     *
     * @throws ChaosConfigException when a property is malformed; nothing is applied then
     */
    void reloadFromSystemProperties();

    /** Every known point, declared or targeted, in id order. */
    List<PointSnapshot> points();

    /** The active activations, pattern to actions, oldest first. */
    Map<String, String> activations();

    /**
     * Replaces every activation by {@code activations} (pattern to actions, oldest first, as {@link #activations()}
     * returns them), validated as a whole. An activation whose pattern and actions are unchanged goes on undisturbed:
     * its held threads stay held and its counts go on. {@code setActivations(activations())} changes nothing.
     *
     * @throws ChaosConfigException when a pattern or actions are malformed; nothing is applied then
     */
    void setActivations(Map<String, String> activations);

    /** The seed of every random draw; the same seed replays the same decisions at each point. */
    long seed();

    /** Sets the seed and restarts every point's sequence of draws. */
    void setSeed(long seed);

    /**
     * The halt conditions in force, canonical ({@code threads.growth>200;timeout.rate[point:x]>0.5}), empty for none.
     * While chaos is armed they are checked every second; the first breach pulls the kill switch, turns the master
     * switch off and says why on stderr ({@code [jchaos] halted: threads.growth 231 > 200}).
     */
    String haltWhen();

    /**
     * Replaces the halt conditions: {@code cond (';' cond)*}, {@code cond := metric ('>'|'<') number}, metrics
     * {@code threads.growth}, {@code inflight}, {@code timeout.rate} (the highest rate of any source) and
     * {@code timeout.rate[<source>]}. Blank or {@code null} removes them.
     *
     * @throws ChaosConfigException when the conditions are malformed; the ones in force stay then
     */
    void setHaltWhen(String conditions);

    /** How long after arming everything is disarmed; {@link Duration#ZERO} for never. */
    Duration ttl();

    /**
     * Sets the ttl: everything is disarmed (master switch off, every point deactivated) this long after arming, counted
     * from now when chaos is armed already; {@link Duration#ZERO} for never. It stays for later armings.
     */
    void setTtl(Duration ttl);
}
