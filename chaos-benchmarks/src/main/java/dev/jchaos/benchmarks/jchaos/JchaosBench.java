package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;

/** Checks shared by the jchaos benchmarks, so that a run without the agent fails instead of measuring nothing. */
final class JchaosBench {

    /** The path the benchmark forks pass to {@code -javaagent}, relative to the chaos-benchmarks directory. */
    static final String AGENT = "-javaagent:target/agent/jchaos-agent.jar";

    private JchaosBench() {
    }

    /**
     * The controller, after checking that the agent is loaded and has woven {@code pointIds} in {@link DelayTarget}.
     *
     * @throws IllegalStateException when the agent is missing or a point was not woven
     */
    static ChaosController wovenController(String... pointIds) {
        if (!Chaos.agentInstalled()) {
            throw new IllegalStateException("the jchaos agent is not loaded: run from chaos-benchmarks/ with "
                    + AGENT);
        }
        new DelayTarget().plain(0);
        ChaosController controller = Chaos.controller();
        // the agent started dormant: listing the points is chaos's first use, which weaves the loaded class
        for (String id : pointIds) {
            boolean woven = controller.points().stream().map(PointSnapshot::id).anyMatch(id::equals);
            if (!woven) {
                throw new IllegalStateException("point " + id + " was not woven; known points: "
                        + controller.points());
            }
        }
        return controller;
    }
}
