package dev.jchaos.core.it.sweep;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of third-party methods made points through the targeting API, in a JVM started with the agent: no
 * VerifyError, nothing thrown by jchaos, the libraries behave exactly as unwoven, and their calls are counted.
 */
class LibrarySweepIT {

    @Test
    void everyPublicMethodOfJacksonGuavaH2AndJettyCanBeAPointWithoutChangingThem() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(java, "-javaagent:" + System.getProperty("jchaos.test.agentJar"),
                "-cp", System.getProperty("java.class.path"), LibrarySweepMain.class.getName()).start();
        CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> lines(p.getInputStream()));
        CompletableFuture<List<String>> err = CompletableFuture.supplyAsync(() -> lines(p.getErrorStream()));
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("sweep finished").isTrue();
        List<String> output = out.get();
        assertThat(p.exitValue()).as(String.join("\n", output) + "\n" + String.join("\n", err.get())).isZero();
        Map<String, String> result = new HashMap<>();
        for (String line : output) {
            int space = line.indexOf(' ');
            if (space > 0) {
                result.merge(line.substring(0, space), line.substring(space + 1), (a, b) -> a + "\n" + b);
            }
        }
        System.out.println("[measured] library sweep: " + result.get("classes") + " classes ("
                + result.get("unloadable") + " not loadable for a missing optional dependency), " + result.get("targeted")
                + " methods targeted, " + result.get("woven") + " woven, " + result.get("called") + " called ("
                + result.get("calls") + " calls), setActivations took " + result.get("activateMs") + " ms");
        List<String> warnings = result.containsKey("warning") ? List.of(result.get("warning").split("\n")) : List.of();
        assertThat(warnings).hasSize(Integer.parseInt(result.get("warnings")));
        // five thousand points are more timeout sources than the meters' cap: said once, and the only thing said
        assertThat(warnings).as(String.join("\n", output)).hasSizeLessThanOrEqualTo(1)
                .allMatch(w -> w.contains("more than 1000 timeout sources"));
        assertThat(result.get("failures")).isEqualTo("0");
        assertThat(result.get("unchanged")).as(String.join("\n", output)).isEqualTo("true");
        assertThat(Integer.parseInt(result.get("targeted"))).isGreaterThan(3_000);
        assertThat(result.get("woven")).as(result.getOrDefault("missing", "")).isEqualTo(result.get("targeted"));
        assertThat(Integer.parseInt(result.get("called"))).isGreaterThan(200);
        assertThat(err.get()).noneMatch(line -> line.contains("VerifyError") || line.startsWith("[jchaos]"));
    }

    private static List<String> lines(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
