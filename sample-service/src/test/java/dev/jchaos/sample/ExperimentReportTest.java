package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files: complete JSON, and HTML that carries its data inline and loads nothing from the network. */
class ExperimentReportTest {

    @TempDir
    Path dir;

    @Test
    void jsonHasSettingsEverySamplePhasesAndTheVerdict() throws Exception {
        ExperimentReport.write(ReportFixtures.leakedRun(), dir);

        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());

        assertThat(report.get("settings").get("point").asText()).isEqualTo("*Pricing*");
        assertThat(report.get("samples")).hasSize(12);
        assertThat(report.get("samples").get(6).get("phase").asText()).isEqualTo("chaos");
        assertThat(report.get("samples").get(6).get("inFlight").asInt()).isEqualTo(12);
        assertThat(report.get("phases")).hasSize(4);
        assertThat(report.get("verdict").get("recovered").asBoolean()).isFalse();
        assertThat(report.get("verdict").get("stayed").get(0).get("names")).hasSize(2);
    }

    @Test
    void haltedRunSaysWhenAndWhyInJsonAndHtml() throws Exception {
        Path html = ExperimentReport.write(ReportFixtures.haltedRun(), dir);

        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("halt").get("second").asInt()).isEqualTo(7);
        assertThat(report.get("halt").get("reason").asText()).isEqualTo("inflight 12 > 10");
        assertThat(report.get("settings").get("haltWhen").asText()).isEqualTo("inflight>10");
        assertThat(report.get("recording").asText()).endsWith("chaos.jfr");
        assertThat(Files.readString(html)).contains("'HALTED by jchaos at '").contains("halt-marker");
        ExperimentReport.write(ReportFixtures.leakedRun(), dir);
        assertThat(new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("halt").isNull()).isTrue();
    }

    @Test
    void htmlIsSelfContainedAndCannotBeBrokenByItsData() throws Exception {
        Path html = ExperimentReport.write(ReportFixtures.leakedRun(), dir);

        String page = Files.readString(html);

        assertThat(page).contains("const REPORT = {").contains("\"legacy-pricing-7-1\"");
        assertThat(page).doesNotContain("__REPORT_JSON__").doesNotContain("<script src").doesNotContain("<link");
        // the only URL is the SVG namespace, which names and does not fetch
        assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
        // a "</script>" inside the data must not close the script element early
        assertThat(page).contains("rO0ABXNy<\\/script>");
        assertThat(page).containsOnlyOnce("</script>");
    }
}
