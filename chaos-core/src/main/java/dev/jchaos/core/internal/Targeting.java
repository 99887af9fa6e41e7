package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;

import java.lang.reflect.Method;
import java.util.List;

/** What the agent offers the engine: weaving, from chaos's first use on, and making unannotated methods points. */
public interface Targeting {

    /**
     * Starts weaving if it has not started: declared points of loaded classes are woven and every class is seen as it
     * loads from now on. Returns once that is done; {@link #target} and {@link #watchRaces} begin by themselves.
     */
    void begin();

    /**
     * Weaves each {@code fqcn#method} of {@code ids} now if its class is loaded (each loaded class is retransformed
     * once, however many of its methods are targeted), else when it loads.
     *
     * @param strict whether to fail when a loaded class cannot be woven (false at start-up)
     * @param vet    asked, for each target whose class is loaded, before anything is woven: a refusal of the
     *               activation for those methods (an undeclared checked {@code throw}) stops the whole batch, strict
     *               or not, and nothing is woven
     * @throws ChaosConfigException naming the first target that cannot be woven, or the vet's refusal
     */
    void target(List<String> ids, boolean strict, Vet vet);

    /** Whether an activation can be applied to a target's methods, asked before they are woven. */
    interface Vet {
        /** Why the activation for {@code id} cannot apply to {@code methods} (its loaded overloads), or null. */
        ChaosConfigException refusal(String id, List<Method> methods);
    }

    /**
     * Watches the collection call sites of classes matching {@code classGlobs} from now on: loaded classes are
     * retransformed, others woven as they load. Classes from {@code exclude} (the watcher's own code) never are.
     */
    void watchRaces(List<Glob> classGlobs, java.security.CodeSource exclude);

    /** Whether {@code className#method} is already known as a target. */
    boolean isTargeted(String className, String method);
}
