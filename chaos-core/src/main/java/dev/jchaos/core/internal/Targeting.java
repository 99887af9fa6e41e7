package dev.jchaos.core.internal;

/** What the agent offers the engine: making an unannotated method a point. */
public interface Targeting {

    /**
     * Weaves {@code className#method} now if the class is loaded, else when it loads.
     *
     * @param strict whether to fail when the class is loaded but cannot be woven (false at start-up)
     * @throws dev.jchaos.core.ChaosConfigException naming the target when it cannot be woven
     */
    void target(String id, String className, String method, boolean strict);

    /** Whether {@code className#method} is already known as a target. */
    boolean isTargeted(String className, String method);
}
