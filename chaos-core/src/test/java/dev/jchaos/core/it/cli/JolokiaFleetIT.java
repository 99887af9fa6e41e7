package dev.jchaos.core.it.cli;

import dev.jchaos.core.it.fixtures.PlainMain;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jchaos.core.it.cli.Jvms.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Jolokia agents ({@code jolokia-agent-jvm}, javaagent) in several JVMs on loopback: the MXBean works through
 * Jolokia unchanged, and {@code --jolokia URL,URL} drives them all, one line per JVM, a wrong URL reported on its own.
 */
class JolokiaFleetIT {

    private static final String JOLOKIA = System.getProperty("jchaos.test.jolokiaJar");
    private static final String WORK = PlainMain.class.getName() + "#work";
    private static final Pattern URL = Pattern.compile("started with URL (http://\\S+)");

    private static Jvms.Target withJolokia() throws Exception {
        return new Jvms.Target(List.of("-javaagent:" + JOLOKIA + "=host=127.0.0.1,port=0", "-javaagent:" + Jvms.AGENT),
                PlainMain.class.getName());
    }

    /** The agent's URL, from the line Jolokia prints once its HTTP server listens. */
    private static String url(Jvms.Target target) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .alias("Jolokia says where it listens").until(() -> {
                    for (String line : target.history()) {
                        Matcher m = URL.matcher(line);
                        if (m.find()) {
                            found[0] = m.group(1).endsWith("/") ? m.group(1) : m.group(1) + "/";
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    private static String post(String url, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void mxBeanWorksThroughJolokiaUnchanged() throws Exception {
        try (Jvms.Target target = withJolokia()) {
            String url = url(target);
            String mbean = "\"mbean\":\"dev.jchaos:type=ChaosController\"";
            assertThat(post(url, "{\"type\":\"exec\"," + mbean + ",\"operation\":\"activate\",\"arguments\":[\""
                    + WORK + "\",\"delay(200ms)\"]}")).contains("\"status\":200");
            assertThat(post(url, "{\"type\":\"write\"," + mbean + ",\"attribute\":\"Enabled\",\"value\":true}"))
                    .contains("\"status\":200");
            assertThat(target.timeWork()).isBetween(195L, 3_000L);
            assertThat(post(url, "{\"type\":\"read\"," + mbean + ",\"attribute\":\"Points\"}"))
                    .contains("\"id\":\"" + WORK + "\"").contains("\"actions\":\"delay(200ms)\"")
                    .contains("\"injections\":1").contains("\"status\":200");
            String refused = post(url, "{\"type\":\"exec\"," + mbean + ",\"operation\":\"activate\",\"arguments\":[\""
                    + WORK + "\",\"delay(2x)\"]}");
            assertThat(refused).contains("IllegalArgumentException").contains("unknown unit 'x'");
            assertThat(post(url, "{\"type\":\"read\"," + mbean + ",\"attribute\":\"ActivePoints\"}"))
                    .contains("\"value\":[\"" + WORK + "=delay(200ms)\"]");
        }
    }

    @Test
    void severalJvmsAreDrivenOneLinePerJvmAndAWrongUrlFailsOnItsOwnWithExit1() throws Exception {
        try (Jvms.Target one = withJolokia(); Jvms.Target two = withJolokia()) {
            String u1 = url(one);
            String u2 = url(two);
            String wrong = u1.replace("/jolokia/", "/not-jolokia/");

            Jvms.Run activate = cli("activate", "--jolokia", u1 + "," + u2 + "," + wrong, WORK, "delay(200ms)");

            assertThat(activate.exit()).as("%s", activate).isEqualTo(1);
            assertThat(activate.out().lines()).containsExactly(
                    u1 + ": Enabled=true, active [" + WORK + "=delay(200ms)]",
                    u2 + ": Enabled=true, active [" + WORK + "=delay(200ms)]");
            assertThat(activate.err().lines()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith(wrong + ": HTTP 404 and no Jolokia answer"));
            assertThat(one.timeWork()).isBetween(195L, 3_000L);
            assertThat(two.timeWork()).isBetween(195L, 3_000L);

            Jvms.Run status = cli("status", "--jolokia", u1 + "," + u2);
            assertThat(status.exit()).as("%s", status).isZero();
            assertThat(status.out().lines().filter(l -> !l.startsWith(" "))).hasSize(2)
                    .anySatisfy(l -> assertThat(l).startsWith(u1 + ": Enabled=true Seed="))
                    .anySatisfy(l -> assertThat(l).startsWith(u2 + ": Enabled=true Seed="));
            assertThat(status.out()).contains("  " + WORK + "  delay(200ms)  calls=1 injections=1 inFlight=0");

            Jvms.Run closed = cli("off", "--jolokia", u1 + ",http://127.0.0.1:1/jolokia/," + u2);
            assertThat(closed.exit()).as("%s", closed).isEqualTo(1);
            assertThat(closed.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("kill switch pulled"));
            assertThat(closed.err()).contains("http://127.0.0.1:1/jolokia/: connection refused");
            Jvms.Run unknown = cli("status", "--jolokia", "http://no-such-host.invalid:8778/jolokia/");
            assertThat(unknown.exit()).as("%s", unknown).isEqualTo(1);
            assertThat(unknown.err()).contains("http://no-such-host.invalid:8778/jolokia/: unknown host "
                    + "no-such-host.invalid");
            assertThat(one.timeWork()).isLessThan(100);
            assertThat(two.timeWork()).isLessThan(100);

            Jvms.Run bad = cli("activate", "--jolokia", u1 + "," + u2, WORK, "delay(2x)");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.out()).isEmpty();
            assertThat(cli("status", "--jolokia", u1).out()).contains("active []");

            Jvms.Run threads = cli("threads", "--jolokia", u1);
            assertThat(threads.exit()).as("%s", threads).isZero();
            assertThat(threads.out()).startsWith(u1 + ": ").contains(" @ RUNNABLE  [main]");
        }
    }
}
