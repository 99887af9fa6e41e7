package dev.jchaos.core.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jchaos.core.ChaosConfigException;
import org.junit.jupiter.api.AfterAll;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the action language where it enters jchaos: {@code activate(pattern, actions)} and the {@code jchaos.*}
 * properties. Every input is either applied whole or refused with a {@link ChaosConfigException} that changes
 * nothing; anything else escaping is a finding, and so is an input that takes long. Run alone with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl chaos-core surefire:test@fuzz "-DargLine=-Djazzer.max_executions=2000000 -Djazzer.max_duration=10m"}
 * (CI runs it in fuzzing mode for a short while, see chaos-core's pom).
 */
class ActionLanguageFuzzTest {

    private static final Engine ENGINE = Engine.standalone();
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong APPLIED = new AtomicLong();
    private static final AtomicLong SLOWEST = new AtomicLong();

    static {
        ENGINE.declare("com.acme.Pricing#quote", "com.acme.Pricing#quote", null,
                ActionLanguageFuzzTest.class.getClassLoader(), "com.acme.Pricing", "quote()V",
                List.of("java.io.IOException"));
        ENGINE.register("fixture.work", "fixture.Work#declared", Program.declared(100, 0, 1.0, -1), null);
        ENGINE.register("a.B#x", "a.B#x", null, null);
        // armed but never called: the fuzzer exercises validation and re-arming, not the delays themselves
        ENGINE.setEnabled(true);
    }

    @FuzzTest(maxDuration = "30s")
    void everyInputIsAppliedWholeOrRefusedChangingNothing(FuzzedDataProvider data) {
        long start = System.nanoTime();
        INPUTS.incrementAndGet();
        boolean asProperties = data.consumeBoolean();
        String pattern = data.consumeString(80);
        String actions = data.consumeRemainingAsString();
        Map<String, String> before = ENGINE.activations();
        try {
            if (asProperties) {
                Properties props = new Properties();
                props.setProperty("jchaos.points", pattern + "=" + actions);
                props.setProperty("jchaos.enabled", "true");
                Settings.read(props);
            } else {
                ENGINE.activate(pattern, actions);
                APPLIED.incrementAndGet();
                String canonical = ENGINE.activations().values().stream().reduce((a, b) -> b).orElseThrow();
                if (!canonical.isEmpty()) {
                    // what jchaos shows is itself valid action text that reads back the same
                    assertThat(Program.parse(canonical)).hasToString(canonical);
                }
                ENGINE.deactivateAll();
            }
        } catch (ChaosConfigException refused) {
            assertThat(ENGINE.activations()).isEqualTo(before);
            assertThat(refused.getMessage()).isNotBlank();
        } finally {
            SLOWEST.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
    }

    @AfterAll
    static void noInputTookLong() {
        System.out.println("[measured] fuzzed " + INPUTS.get() + " inputs (" + APPLIED.get()
                + " activations applied), slowest " + TimeUnit.NANOSECONDS.toMicros(SLOWEST.get()) + " us");
        assertThat(SLOWEST.get()).as("slowest input").isLessThan(TimeUnit.SECONDS.toNanos(1));
        ENGINE.deactivateAll();
        ENGINE.setEnabled(false);
    }
}
