package dev.jchaos.core.internal.cli;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code status} prints of the attributes a JVM answers with. */
class CliStatusTest {

    private static Target answering(Map<String, Object> attributes) {
        return new Target() {
            @Override
            public String name() {
                return "pid 7";
            }

            @Override
            public Map<String, Object> read(List<String> names) {
                Map<String, Object> out = new HashMap<>();
                for (String name : names) {
                    out.put(name, attributes.get(name));
                }
                return out;
            }

            @Override
            public void write(String attribute, Object value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object exec(String operation, String... arguments) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String threads() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
    }

    private static Map<String, Object> jvm(boolean enabled, List<String> active, List<String> activations,
                                           List<String> races) {
        Map<String, Object> a = new HashMap<>();
        a.put("Enabled", enabled);
        a.put("Seed", 5L);
        a.put("Ttl", "");
        a.put("HaltWhen", "");
        a.put("ActivePoints", active);
        a.put("Activations", activations);
        a.put("Points", List.of(Map.of("id", "x.Y#work", "actions", enabled ? "delay(200ms)" : "", "calls", 3L,
                "injections", 2L, "inFlight", 0)));
        a.put("Races", races);
        return a;
    }

    @Test
    void showsTheRacesTheWatchFound() {
        String race = "java.util.HashMap: put while put at com.acme.Tally.add(Tally.java:12) / "
                + "com.acme.Tally.add(Tally.java:12) (seen 3 times)";
        String status = Cli.status(answering(jvm(true, List.of("x.Y#work=delay(200ms)"),
                List.of("x.Y#work=delay(200ms)"), List.of(race))));
        assertThat(status).isEqualTo("pid 7: Enabled=true Seed=5 Ttl=none HaltWhen=none active [x.Y#work=delay(200ms)]"
                + "\n  x.Y#work  delay(200ms)  calls=3 injections=2 inFlight=0"
                + "\n  thread-safety violations found: 1"
                + "\n    " + race);
    }

    @Test
    void saysActivationsWaitWhileDisabledAndPrintsNoRacesSectionWithoutRaces() {
        String status = Cli.status(answering(jvm(false, List.of(), List.of("x.Y#work=delay(200ms)"), List.of())));
        assertThat(status).startsWith("pid 7: Enabled=false Seed=5 Ttl=none HaltWhen=none active [] (disabled; kept "
                + "until enable: [x.Y#work=delay(200ms)])\n  x.Y#work  -  calls=3")
                .doesNotContain("thread-safety");
    }
}
