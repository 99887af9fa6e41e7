package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code experiment} as a user does, in its own JVM (which self-attaches the agent), and checks that it
 * exits 0 with the expected verdict and leaves both reports. A separate JVM also keeps the exhibit's leaked
 * threads out of the test JVM.
 */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    @Test
    void leakyExperimentEndsWithTheLeakVerdictNamingTheLegacyThreads() throws Exception {
        Run run = experiment("--leaky", "--warmup", "2s", "--baseline", "4s", "--duration", "5s", "--recovery", "4s");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains(">>> JMX: Enabled=true; activate(\"*Pricing*\", \"delay(800ms)\")")
                .contains(">>> JMX: deactivateAll()")
                .contains("VERDICT: LEAKED")
                .containsPattern("\\d+ @ WAITING  \\[legacy-pricing-");
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("verdict").get("recovered").asBoolean()).isFalse();
        assertThat(report.get("samples")).hasSize(15);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("const REPORT = {");
    }

    @Test
    void normalExperimentRecoversAfterTheKillSwitch() throws Exception {
        Run run = experiment("--warmup", "3s", "--baseline", "6s", "--duration", "5s", "--recovery", "10s");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("activate(\"*nventory*\", \"delay(800ms)\")")
                .contains("VERDICT: RECOVERED")
                .containsPattern("\\[ *\\d+s\\] chaos +req/s +\\d+ +p99 +\\d+ms +timeouts +[\\d.]+% +threads +\\d+ +"
                        + "in-flight@points +\\d+");
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("verdict").get("recovered").asBoolean()).isTrue();
        assertThat(report.get("phases")).hasSize(4);
        assertThat(RecordingFile.readAllEvents(dir.resolve("chaos.jfr")))
                .anySatisfy(e -> assertThat(e.getEventType().getName()).isEqualTo("dev.jchaos.Injection"));
    }

    @Test
    void haltWhenStopsTheChaosPhaseAndTheReportAndRecordingShowIt() throws Exception {
        Run run = experiment("--halt-when", "inflight>5", "--warmup", "2s", "--baseline", "4s", "--duration", "6s",
                "--recovery", "4s");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains(">>> JMX: HaltWhen=inflight>5")
                .containsPattern(">>> HALTED by jchaos: inflight \\d+ > 5 \\(kill switch pulled, Enabled=false\\)")
                .containsPattern("HALTED by jchaos at \\d+s: inflight \\d+ > 5 \\(halt conditions inflight>5;")
                .contains("chaos.jfr, the JFR recording of the chaos phase,");
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("halt").get("reason").asText()).matches("inflight \\d+ > 5");
        // chaos is switched on at the end of second 6 (2 s warm-up + 4 s baseline): a halt within its first second
        // is stamped 6, one in its last 12
        assertThat(report.get("halt").get("second").asInt()).isBetween(6, 12);
        assertThat(report.get("settings").get("haltWhen").asText()).isEqualTo("inflight>5");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("halt-marker");

        List<RecordedEvent> injections = RecordingFile.readAllEvents(dir.resolve("chaos.jfr")).stream()
                .filter(e -> e.getEventType().getName().equals("dev.jchaos.Injection")).toList();
        assertThat(injections).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getString("point")).isEqualTo("dev.jchaos.sample.InventoryClient#reserve");
            assertThat(e.getString("action")).isEqualTo("delay");
        });
    }

    @Test
    void racesExperimentFindsTheRaceExhibitUnderLoadAndReportsItInTextJsonAndHtml() throws Exception {
        Run run = experiment("--races", "--warmup", "2s", "--baseline", "3s", "--duration", "8s", "--recovery", "3s");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("races watched in dev.jchaos.sample.InFlightOrders [RACE EXHIBIT]")
                .containsPattern("RACES: \\d+ thread-safety violations? found by jchaos.races in "
                        + "dev.jchaos.sample.InFlightOrders")
                .contains("[jchaos] thread-safety violation: java.util.HashMap: ")
                .contains("inflight-reporter  ")
                .contains("at dev.jchaos.sample.InFlightOrders.report(InFlightOrders.java:");
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("settings").get("races").asText()).isEqualTo("dev.jchaos.sample.InFlightOrders");
        assertThat(report.get("races")).isNotEmpty().allSatisfy(race -> {
            assertThat(race.get("collection").asText()).isEqualTo("java.util.HashMap");
            assertThat(race.get("report").asText()).contains("dev.jchaos.sample.InFlightOrders");
        });
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Thread-safety violations (jchaos.races)");
    }

    @Test
    void malformedHaltWhenExitsWith2BeforeAnyLoad() throws Exception {
        Run run = experiment("--halt-when", "inflight>>5");

        assertThat(run.exit).as(run.output).isEqualTo(2);
        assertThat(run.output).contains("--halt-when: expected a number").contains("column 10")
                .doesNotContain("warming up");
    }

    @Test
    void badOptionExitsWith2NamingIt() throws Exception {
        Run run = experiment("--rps", "lots");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.output).contains("--rps must be an integer from 1 to 2000 but was 'lots'");
    }

    @Test
    void malformedActionExitsWith2BeforeAnyLoadPointingAtTheColumn() throws Exception {
        Run run = experiment("--action", "delay(8x)");

        assertThat(run.exit).as(run.output).isEqualTo(2);
        assertThat(run.output).contains("--action: unknown unit 'x'").contains("column 8")
                .doesNotContain("warming up");
    }

    private Run experiment(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "experiment", "--out", dir.toString()));
        command.addAll(List.of(options));
        Path log = dir.resolve("experiment.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("experiment did not end within 150s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private record Run(int exit, String output) {
    }
}
