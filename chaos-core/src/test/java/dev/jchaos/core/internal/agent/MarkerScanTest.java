package dev.jchaos.core.internal.agent;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte scan that keeps classes without points away from the weaver finds the marker wherever it is. */
class MarkerScanTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsTheNeedleAtEveryPositionAndNothingElse() {
        byte[] needle = bytes("Ldev/jchaos/annotations/InjectDelay");
        Random random = new Random(7);
        for (int length = 0; length < 300; length += 7) {
            byte[] hay = new byte[length];
            random.nextBytes(hay);
            assertThat(Weaver.contains(hay, needle)).isFalse();
            for (int at = 0; at + needle.length <= length; at += 5) {
                byte[] with = hay.clone();
                System.arraycopy(needle, 0, with, at, needle.length);
                assertThat(Weaver.contains(with, needle)).as("at %d of %d", at, length).isTrue();
            }
        }
        assertThat(Weaver.contains(bytes("xxLdev/jchaos/annotations/InjectDela"), needle)).isFalse();
        assertThat(Weaver.contains(bytes("Ldev/jchaos/annotations/InjectDelays;"), needle)).isTrue();
    }
}
