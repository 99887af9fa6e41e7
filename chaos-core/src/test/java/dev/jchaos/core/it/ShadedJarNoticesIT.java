package dev.jchaos.core.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both jars jchaos ships carry Byte Buddy's copy of ASM, relocated. Byte Buddy is Apache 2.0 (its licence and NOTICE
 * go with any redistribution) and ASM is BSD (its copyright and licence go with binaries): they travel with the
 * classes, under a path that says whose they are.
 */
class ShadedJarNoticesIT {

    private static final String ASM = "dev/jchaos/shaded/net/bytebuddy/jar/asm/ClassReader.class";

    @ParameterizedTest
    @ValueSource(strings = {"-agent.jar", ".jar"})
    void theRelocatedAsmComesWithItsLicencesAndNotices(String suffix) throws IOException {
        String agentJar = System.getProperty("jchaos.test.agentJar");
        Path jar = Path.of(agentJar.substring(0, agentJar.length() - "-agent.jar".length()) + suffix);
        assertThat(jar).exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getJarEntry(ASM)).as("%s bundles ASM", jar.getFileName()).isNotNull();
            assertThat(text(file, "META-INF/third-party/byte-buddy/LICENSE"))
                    .contains("Apache License", "Version 2.0, January 2004");
            assertThat(text(file, "META-INF/third-party/byte-buddy/NOTICE"))
                    .contains("Rafael Winterhalter", "Apache License, Version 2.0");
            assertThat(text(file, "META-INF/third-party/byte-buddy/licenses/ASM"))
                    .contains("Copyright (c) 2000-2011 INRIA, France Telecom", "Redistribution and use");
            assertThat(file.getJarEntry("META-INF/LICENSE"))
                    .as("no licence at the jar's top level that would read as jchaos's own").isNull();
        }
    }

    private static String text(JarFile file, String name) throws IOException {
        JarEntry entry = file.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
}
