package dev.jchaos.core.internal.agent;

import dev.jchaos.annotations.InjectDelay;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The constant-pool walk that keeps classes without points away from the weaver: it finds every class that can
 * declare a point, understands every class file of the JDK, and falls back to the byte scan on anything else.
 */
class PoolScanTest {

    static class OnMethod {
        @InjectDelay
        void work() {
        }
    }

    @InjectDelay
    static class OnType {
        public void work() {
        }
    }

    static class Repeated {
        @InjectDelay("a")
        @InjectDelay("b")
        void work() {
        }
    }

    static class WideConstantsFirst {
        static final long BIG = System.nanoTime() > 0 ? 1234567890123L : 9876543210987L;
        static final double HUGE = BIG > 0 ? 3.25e100 : 1.5e99;

        @InjectDelay
        void work() {
        }
    }

    /**
     * Names the annotation type in a method descriptor and as a class constant, but carries no annotation (a local
     * variable or parameter of the type would put the exact descriptor in the pool, for its debug information; such
     * classes are parsed and found to declare nothing).
     */
    static class MentionsOnly {
        Class<?> type = InjectDelay.class;

        InjectDelay find() {
            return null;
        }
    }

    static class Plain {
        void work() {
        }
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void findsEveryWayAClassDeclaresAPoint() throws IOException {
        for (Class<?> c : List.of(OnMethod.class, OnType.class, Repeated.class, WideConstantsFirst.class)) {
            assertThat(PoolScan.poolNames(classFile(c))).as(c.getSimpleName()).isTrue();
            assertThat(PoolScan.mentionsInjectDelay(classFile(c))).as(c.getSimpleName()).isTrue();
        }
    }

    @Test
    void passesOverClassesThatOnlyMentionTheType() throws IOException {
        byte[] mentions = classFile(MentionsOnly.class);
        assertThat(PoolScan.contains(mentions, "Ldev/jchaos/annotations/InjectDelay;"
                .getBytes(StandardCharsets.ISO_8859_1))).as("the old byte scan would have parsed it").isTrue();
        assertThat(PoolScan.mentionsInjectDelay(mentions)).isFalse();
        assertThat(PoolScan.mentionsInjectDelay(classFile(Plain.class))).isFalse();
    }

    @Test
    void walksEveryClassFileOfTheJdkToItsEnd() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<Path> files = new ArrayList<>();
        for (String module : List.of("java.base", "java.desktop", "jdk.compiler")) {
            try (Stream<Path> walk = Files.walk(jrt.getPath("/modules", module))) {
                walk.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(5_000);
        for (Path file : files) {
            assertThat(PoolScan.poolNames(Files.readAllBytes(file))).as(file.toString()).isFalse();
        }
    }

    @Test
    void fallsBackToTheByteScanOnBytesThatAreNoPool() throws IOException {
        byte[] annotated = classFile(OnMethod.class);
        byte[] truncated = Arrays.copyOf(annotated, annotated.length / 2);
        int entry = indexOf(annotated, "Ldev/jchaos/annotations/InjectDelay;");
        assertThat(PoolScan.poolNames(Arrays.copyOf(annotated, 9))).isNull();
        assertThat(PoolScan.poolNames(Arrays.copyOf(annotated, entry - 1))).as("cut before the entry").isNull();
        assertThat(PoolScan.mentionsInjectDelay(Arrays.copyOf(annotated, entry + 40)))
                .as("cut after the entry").isTrue();
        assertThat(PoolScan.mentionsInjectDelay(truncated))
                .isEqualTo(PoolScan.contains(truncated, "Ldev/jchaos/annotations/InjectDelay"
                        .getBytes(StandardCharsets.ISO_8859_1)));

        byte[] unknownTag = annotated.clone();
        unknownTag[10] = 42; // the first pool entry's tag
        assertThat(PoolScan.poolNames(unknownTag)).isNull();
        assertThat(PoolScan.mentionsInjectDelay(unknownTag)).as("the byte scan still finds it").isTrue();

        byte[] notAClass = "Ldev/jchaos/annotations/InjectDelay;".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PoolScan.mentionsInjectDelay(notAClass)).isTrue();
        assertThat(PoolScan.mentionsInjectDelay(new byte[0])).isFalse();
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + n.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + n.length, n, 0, n.length)) {
                return i;
            }
        }
        throw new AssertionError(needle + " not found");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void byteScanFindsTheNeedleAtEveryPositionAndNothingElse() {
        byte[] needle = bytes("Ldev/jchaos/annotations/InjectDelay");
        Random random = new Random(7);
        for (int length = 0; length < 300; length += 7) {
            byte[] hay = new byte[length];
            random.nextBytes(hay);
            assertThat(PoolScan.contains(hay, needle)).isFalse();
            for (int at = 0; at + needle.length <= length; at += 5) {
                byte[] with = hay.clone();
                System.arraycopy(needle, 0, with, at, needle.length);
                assertThat(PoolScan.contains(with, needle)).as("at %d of %d", at, length).isTrue();
            }
        }
        assertThat(PoolScan.contains(bytes("xxLdev/jchaos/annotations/InjectDela"), needle)).isFalse();
        assertThat(PoolScan.contains(bytes("Ldev/jchaos/annotations/InjectDelays;"), needle)).isTrue();
    }
}
