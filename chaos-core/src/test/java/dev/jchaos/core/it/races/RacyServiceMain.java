package dev.jchaos.core.it.races;

import dev.jchaos.core.it.races.fixtures.Scenarios;
import dev.jchaos.core.metrics.ChaosMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * A small program run under the agent with {@code jchaos.races}: runs a scenario over and over, as a service would
 * serve requests, then prints what JMX and the meter say. {@code racy} stops once a violation shows; {@code locked}
 * runs its locked twin for a few seconds.
 */
public final class RacyServiceMain {

    private RacyServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new ChaosMetrics().bindTo(meters);
        ObjectName name = new ObjectName("dev.jchaos:type=ChaosController");
        boolean racy = args[0].equals("racy");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(racy ? 30 : 4);
        String[] races = new String[0];
        while (System.nanoTime() < deadline) {
            if (racy) {
                Scenarios.lostUpdate();
            } else {
                Scenarios.locked();
            }
            races = (String[]) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Races");
            if (racy && races.length > 0) {
                break;
            }
        }
        System.out.println("races " + races.length);
        for (String race : races) {
            System.out.println("race " + race);
        }
        System.out.println("meter " + meters.get("jchaos.races").tag("collection", "java.util.HashMap")
                .functionCounter().count());
    }
}
