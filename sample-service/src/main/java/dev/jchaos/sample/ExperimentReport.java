package dev.jchaos.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an experiment's {@code report.json} and a self-contained {@code report.html}: the data inline and a
 * small script that draws the threads, timeout-rate and latency charts as SVG with the phases marked. Nothing is
 * loaded from the network.
 */
final class ExperimentReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExperimentReport() {
    }

    /** Writes both files into {@code dir} (created if needed) and returns the HTML file. */
    static Path write(ExperimentResult result, Path dir) {
        try {
            Files.createDirectories(dir);
            String json = JSON.writeValueAsString(result);
            Files.writeString(dir.resolve("report.json"), json, StandardCharsets.UTF_8);
            Path html = dir.resolve("report.html");
            Files.writeString(html, html(result, json), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the experiment report into " + dir.toAbsolutePath(), e);
        }
    }

    static String html(ExperimentResult result, String json) {
        String template;
        try (InputStream in = ExperimentReport.class.getResourceAsStream("report-template.html")) {
            if (in == null) {
                throw new IllegalStateException("report-template.html is missing from the jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // "</" inside a script element would end it early
        String inline = json.replace("</", "<\\/");
        return template.replace("__TITLE__", escape((result.verdict().recovered() ? "Recovered" : "Leaked")
                        + " - jchaos experiment: " + result.settings().point() + "=" + result.settings().action()))
                .replace("__REPORT_JSON__", inline);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
