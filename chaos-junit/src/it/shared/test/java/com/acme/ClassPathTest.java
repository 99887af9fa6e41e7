package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The project's own JUnit version, and only that one, is on the test class path next to chaos-junit. */
class ClassPathTest {

    @Test
    void everyJUnitJarIsTheProjectsVersion() throws Exception {
        String jupiter = System.getProperty("expected.junit");
        String platform = jupiter.startsWith("5.") ? "1." + jupiter.substring(2) : jupiter;
        for (String resource : List.of("org/junit/jupiter/api/Test.class",
                "org/junit/jupiter/engine/JupiterTestEngine.class",
                "org/junit/platform/commons/support/AnnotationSupport.class",
                "org/junit/platform/engine/TestEngine.class",
                "org/junit/platform/launcher/core/LauncherFactory.class")) {
            String version = resource.startsWith("org/junit/platform/") ? platform : jupiter;
            List<URL> copies = Collections.list(getClass().getClassLoader().getResources(resource));
            assertEquals(1, copies.size(), resource + " in " + copies);
            assertTrue(copies.get(0).toString().contains("-" + version + ".jar!/"), resource + " in " + copies);
        }
    }
}
