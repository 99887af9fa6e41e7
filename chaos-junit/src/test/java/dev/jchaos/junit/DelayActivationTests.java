package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;
import org.junit.jupiter.api.Test;

class DelayActivationTests {

    @InjectDelay("com.acme.*")
    private static void defaults() {
    }

    @InjectDelay(value = "pricing", ms = 50, jitterMs = 250, probability = 0.255, times = 3)
    private static void everything() {
    }

    @InjectDelay(target = "com.acme.Client#call", ms = 20)
    private static void target() {
    }

    @InjectDelay(value = "p", ms = -1)
    private static void negativeMs() {
    }

    @InjectDelay(value = "p", jitterMs = -5)
    private static void negativeJitter() {
    }

    @InjectDelay(value = "p", probability = 1.5)
    private static void tooLikely() {
    }

    @InjectDelay(value = "p", times = -2)
    private static void badTimes() {
    }

    @InjectDelay
    private static void nothing() {
    }

    @InjectDelay(value = "p", target = "a.B#c")
    private static void both() {
    }

    @InjectDelay(target = "com.acme.Client")
    private static void targetWithoutMethod() {
    }

    @InjectDelay(value = "p", probability = 0)
    private static void never() {
    }

    @InjectDelay(value = "p", times = 0)
    private static void noTimes() {
    }

    private static DelayActivation of(String method) throws NoSuchMethodException {
        return DelayActivation.of(DelayActivationTests.class.getDeclaredMethod(method)
                .getAnnotation(InjectDelay.class), method);
    }

    @Test
    void defaultAttributesBecomeAPlainDelay() throws Exception {
        assertThat(of("defaults")).isEqualTo(new DelayActivation("com.acme.*", "delay(100ms)", "defaults"));
    }

    @Test
    void everyAttributeAppearsInTheActionLanguage() throws Exception {
        assertThat(of("everything").actions()).isEqualTo("25.5%3*delay(50ms..300ms)");
    }

    @Test
    void targetIsThePattern() throws Exception {
        assertThat(of("target").pattern()).isEqualTo("com.acme.Client#call");
    }

    @Test
    void zeroProbabilityTurnsThePointOff() throws Exception {
        assertThat(of("never").actions()).isEqualTo("off");
    }

    @Test
    void zeroTimesTurnsThePointOffAsChaosCoreDoes() throws Exception {
        InjectDelay noTimes = DelayActivationTests.class.getDeclaredMethod("noTimes").getAnnotation(InjectDelay.class);
        assertThat(of("noTimes").actions()).isEqualTo("off").isEqualTo(Chaos.declaredActions(noTimes));
    }

    @Test
    void badAttributesAreNamed() {
        assertThatThrownBy(() -> of("negativeMs")).hasMessageContaining("@InjectDelay(ms)")
                .hasMessageContaining("but was -1").hasMessageContaining("negativeMs");
        assertThatThrownBy(() -> of("negativeJitter")).hasMessageContaining("@InjectDelay(jitterMs)")
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> of("tooLikely")).hasMessageContaining("@InjectDelay(probability)")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> of("badTimes")).hasMessageContaining("@InjectDelay(times)")
                .hasMessageContaining("-2");
        assertThatThrownBy(() -> of("nothing")).hasMessageContaining("exactly one of value");
        assertThatThrownBy(() -> of("both")).hasMessageContaining("exactly one of value");
        assertThatThrownBy(() -> of("targetWithoutMethod")).hasMessageContaining("@InjectDelay(target)")
                .hasMessageContaining("com.acme.Client");
    }
}
