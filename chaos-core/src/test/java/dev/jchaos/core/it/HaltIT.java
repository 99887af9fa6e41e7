package dev.jchaos.core.it;

import dev.jchaos.core.it.cli.JvmRuns;
import dev.jchaos.core.it.fixtures.PileUpMain;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jchaos.haltWhen=threads.growth>100} stops an experiment whose delay piles up threads. */
class HaltIT {

    @Test
    void threadGrowthHaltStopsAPileUpWithin2sOfTheBreachAndReleasesEveryThread() throws Exception {
        JvmRuns.Result r = JvmRuns.java("-javaagent:" + JvmRuns.AGENT, "-Djchaos.enabled=true",
                "-Djchaos.haltWhen=threads.growth>100",
                "-Djchaos.points=" + PileUpMain.class.getName() + "#work=hang",
                "-cp", JvmRuns.CLASSPATH, PileUpMain.class.getName(), "100");

        assertThat(r.exit()).as("%s", r).isZero();
        long ms = Long.parseLong(r.line("breach-to-release "));
        System.out.println("[measured] halt released the piled-up threads " + ms + " ms after growth passed 100");
        assertThat(ms).as("%s", r).isBetween(0L, 2_000L);
        String released = r.line("released ");
        assertThat(released.split(" of ")[0]).isEqualTo(released.split(" of ")[1]);
        assertThat(r.err()).containsPattern("\\[jchaos\\] halted: threads\\.growth \\d+ > 100");
    }
}
