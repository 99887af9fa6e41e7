package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * chaos-junit compiles against the oldest JUnit it supports, and its own suite runs on the JUnit of the build
 * ({@code -Djunit.version}): exactly one jar of each JUnit artifact, all of that version, none of the compile one.
 */
class BuildJUnitVersionTests {

    private static final List<String> ONE_CLASS_PER_ARTIFACT = List.of(
            "org/junit/jupiter/api/Test.class",
            "org/junit/jupiter/engine/JupiterTestEngine.class",
            "org/junit/jupiter/params/ParameterizedTest.class",
            "org/junit/platform/commons/support/AnnotationSupport.class",
            "org/junit/platform/engine/TestEngine.class",
            "org/junit/platform/launcher/core/LauncherFactory.class",
            "org/junit/platform/testkit/engine/EngineTestKit.class");

    @Test
    void everyJUnitJarOnTheTestClassPathIsTheBuildsVersion() throws IOException {
        String jupiter = System.getProperty("jchaos.test.junitVersion");
        assertThat(jupiter).as("set by the Surefire configuration").isNotBlank();
        // JUnit 5.x.y ships the platform as 1.x.y; from 6.0 on both carry one version
        String platform = jupiter.startsWith("5.") ? "1." + jupiter.substring(2) : jupiter;
        for (String resource : ONE_CLASS_PER_ARTIFACT) {
            String version = resource.startsWith("org/junit/platform/") ? platform : jupiter;
            List<URL> copies = Collections.list(getClass().getClassLoader().getResources(resource));
            assertThat(copies).as(resource).singleElement()
                    .satisfies(url -> assertThat(url.toString()).contains("-" + version + ".jar!/"));
        }
    }
}
