package dev.jchaos.core.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Resilience4j is an optional dependency: ChaosMetrics must load and bind in a JVM that lacks it. */
class ChaosMetricsWithoutResilience4jTest {

    @Test
    void bindsInAJvmWithoutResilience4j() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String withoutResilience4j = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("resilience4j"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutResilience4j).isNotEqualTo(classPath);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Path log = Files.createTempFile("jchaos-no-resilience4j-", ".log");
        Process process = new ProcessBuilder(java, "-cp", withoutResilience4j, Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String output;
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("forked JVM finished").isTrue();
            output = Files.readString(log);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }

        assertThat(output).contains("resilience4j absent", "jchaos.points.active", "jchaos.threads.growth",
                "jchaos.timeouts", "jchaos.timeout.rate", "jvm.threads.live");
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Runs in the forked JVM. */
    public static final class Main {
        public static void main(String[] args) {
            try {
                Class.forName("io.github.resilience4j.timelimiter.TimeLimiterRegistry");
                System.out.println("resilience4j present");
                System.exit(2);
            } catch (ClassNotFoundException expected) {
                System.out.println("resilience4j absent");
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ChaosMetrics().bindTo(registry);
            dev.jchaos.core.Chaos.timeouts().record("forked", true);
            List<Meter> meters = registry.getMeters();
            TreeSet<String> names = meters.stream().map(m -> m.getId().getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            System.out.println(names);
            System.exit(0);
        }
    }
}
