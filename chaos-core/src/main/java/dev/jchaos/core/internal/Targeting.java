package dev.jchaos.core.internal;

import java.util.List;

/** What the agent offers the engine: making unannotated methods points. */
public interface Targeting {

    /**
     * Weaves each {@code fqcn#method} of {@code ids} now if its class is loaded (each loaded class is retransformed
     * once, however many of its methods are targeted), else when it loads.
     *
     * @param strict whether to fail when a loaded class cannot be woven (false at start-up)
     * @throws dev.jchaos.core.ChaosConfigException naming the first target that cannot be woven
     */
    void target(List<String> ids, boolean strict);

    /**
     * Watches the collection call sites of classes matching {@code classGlobs} from now on: loaded classes are
     * retransformed, others woven as they load. Classes from {@code exclude} (the watcher's own code) never are.
     */
    void watchRaces(List<Glob> classGlobs, java.security.CodeSource exclude);

    /** Whether {@code className#method} is already known as a target. */
    boolean isTargeted(String className, String method);
}
