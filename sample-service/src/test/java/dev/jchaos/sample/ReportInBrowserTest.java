package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in a real headless Chromium and checks, in the DOM after its script ran, that the three charts
 * were drawn with every sample and the phases marked. Skipped, with the reason, where no Chromium is installed.
 */
class ReportInBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("jchaos.chromium", "/usr/bin/chromium"));

    @TempDir
    Path dir;

    @Test
    void chartsRenderInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM
                + " (apt-get install chromium, or -Djchaos.chromium=<path>)");
        Path html = ExperimentReport.write(ReportFixtures.leakedRun(), dir);

        String dom = dumpDom(html);

        assertThat(dom).contains("data-charts-rendered=\"3\"");
        for (String chart : List.of("threads", "timeouts", "latency")) {
            assertThat(dom).containsPattern("<svg[^>]*data-chart=\"" + chart + "\"[^>]*data-rendered=\"true\"");
        }
        Matcher lines = Pattern.compile("<polyline points=\"([^\"]+)\"").matcher(dom);
        int series = 0;
        while (lines.find()) {
            series++;
            assertThat(lines.group(1).trim().split(" ")).hasSize(12);
        }
        assertThat(series).isEqualTo(6);
        assertThat(dom).contains("data-phase=\"baseline\"").contains("data-phase=\"chaos\"")
                .contains("data-phase=\"recovery\"");
        assertThat(dom).contains("LEAKED - 160 service threads");
        assertThat(dom).contains("legacy-pricing-7-1");
    }

    @Test
    void haltedRunShowsTheHaltAndItsMarkerOnEveryChart() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM
                + " (apt-get install chromium, or -Djchaos.chromium=<path>)");
        String dom = dumpDom(ExperimentReport.write(ReportFixtures.haltedRun(), dir));

        assertThat(dom).contains("data-charts-rendered=\"3\"")
                .contains("HALTED by jchaos at 7s (halt conditions inflight&gt;10): inflight 12 &gt; 10");
        assertThat(Pattern.compile("class=\"halt-marker\"").matcher(dom).results().count()).isEqualTo(3);
    }

    private String dumpDom(Path html) throws Exception {
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + dir.resolve("profile"), "--dump-dom",
                html.toUri().toString())
                .redirectError(dir.resolve("chromium.err").toFile())
                .redirectOutput(dir.resolve("dom.html").toFile())
                .start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish within 90s: " + Files.readString(dir.resolve("chromium.err")));
        }
        assertThat(chromium.exitValue()).as(Files.readString(dir.resolve("chromium.err"))).isZero();
        return Files.readString(dir.resolve("dom.html"), StandardCharsets.UTF_8);
    }
}
