package dev.jchaos.sample;

import dev.jchaos.sample.ExperimentResult.PhaseSummary;
import dev.jchaos.sample.ExperimentResult.Sample;
import dev.jchaos.sample.ExperimentResult.Settings;
import dev.jchaos.sample.ExperimentResult.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small but complete leaked-verdict experiment result for report tests. */
final class ReportFixtures {

    private ReportFixtures() {
    }

    static ExperimentResult leakedRun() {
        return run(null, null);
    }

    /** The same run stopped by a halt condition in its seventh second. */
    static ExperimentResult haltedRun() {
        return run("inflight>10", new ExperimentResult.Halt(7, "inflight 12 > 10"));
    }

    private static ExperimentResult run(String haltWhen, ExperimentResult.Halt halt) {
        List<Sample> samples = new ArrayList<>();
        for (int s = 1; s <= 12; s++) {
            String phase = s <= 2 ? "warmup" : s <= 5 ? "baseline" : s <= 9 ? "chaos" : "recovery";
            boolean chaos = phase.equals("chaos");
            samples.add(new Sample(s, phase, 50, chaos ? 25 : 0, 50, chaos ? 25 : 0, 0, chaos ? 510 : 20,
                    chaos ? 820 : 60, 40 + (s > 5 ? 30 * Math.min(s - 5, 4) : 0), chaos ? 12 : 0));
        }
        List<PhaseSummary> phases = List.of(
                new PhaseSummary("warmup", 2, 100, 0, 100, 0, 20, 60, 40, 40, Map.of()),
                new PhaseSummary("baseline", 3, 150, 0, 150, 0, 20, 60, 40, 40, Map.of()),
                new PhaseSummary("chaos", 4, 200, 100, 200, 100, 510, 820, 70, 160,
                        Map.of("503 pricing timeout", 100L)),
                new PhaseSummary("recovery", 3, 150, 0, 150, 0, 20, 60, 160, 160, Map.of()));
        Verdict verdict = new Verdict(false, "LEAKED - 160 service threads at the end against a steady baseline "
                + "of 40 (+ margin 5); 120 threads born since the baseline are still alive", 40, 5, 160, -1,
                List.of(new ThreadCensus.ThreadGroupReport("WAITING", "legacy-pricing-N-N",
                        List.of("legacy-pricing-7-1", "legacy-pricing-8-1"),
                        List.of("java.base/java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:435)"))));
        return new ExperimentResult(new Settings("*Pricing*", "delay(800ms)", 50, true, 2, 3, 4, 3,
                "service:jmx:rmi://127.0.0.1/stub/rO0ABXNy</script>", haltWhen, null), samples, phases, verdict, halt,
                halt == null ? null : "target/jchaos-experiment/chaos.jfr", List.of());
    }
}
