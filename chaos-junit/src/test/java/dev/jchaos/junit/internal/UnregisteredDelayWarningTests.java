package dev.jchaos.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosExtension;
import dev.jchaos.junit.ChaosTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** {@code @InjectDelay} on a test that nothing registers the extension for is said, not silently ignored. */
class UnregisteredDelayWarningTests {

    /** The guard chaos-junit's fixtures use, so these never run on their own. */
    private static final String GUARD = "jchaos.fixtures";

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class ForgotChaosTestTestCase {

        @Test
        @InjectDelay(value = "checkout.load", ms = 50)
        void delayed() {
        }

        @Test
        @InjectDelay(value = "checkout.load", ms = 50)
        void delayedToo() {
        }

        @Test
        void plain() {
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    @InjectDelay(value = "checkout.load", ms = 50)
    static class ClassLevelDelayTestCase {

        @Test
        void plain() {
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class NoDelayTestCase {

        @Test
        void plain() {
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    @ChaosTest
    static class RegisteredTestCase {

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void delayed() {
        }

        @Nested
        class Inner {
            @Test
            @InjectDelay(value = "checkout.load", ms = 1)
            void delayed() {
            }
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    @ExtendWith(ChaosExtension.class)
    static class ExtendWithTestCase {

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void delayed() {
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class RegisterExtensionTestCase {

        @RegisterExtension
        static final ChaosExtension CHAOS = new ChaosExtension();

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void delayed() {
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class RegisterAsExtensionTestCase {

        @RegisterExtension
        static final org.junit.jupiter.api.extension.Extension CHAOS = new ChaosExtension();

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void delayed() {
        }
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class SubclassTestCase extends RegisteredTestCase {

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void alsoDelayed() {
        }
    }

    /** Registered through an interface the test class implements, which JUnit honours and annotations hide. */
    @ExtendWith(ChaosExtension.class)
    interface ChaosTests {
    }

    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class InterfaceRegisteredTestCase implements ChaosTests {

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void delayed() {
        }
    }

    /**
     * Nothing on it registers the extension; only auto-detection does. (Its own fixture: a method the extension ran
     * for once in this JVM stays marked.)
     */
    @EnabledIfSystemProperty(named = GUARD, matches = "true")
    static class AutodetectedTestCase {

        @Test
        @InjectDelay(value = "checkout.load", ms = 1)
        void delayed() {
        }
    }

    private static String warnings(boolean autodetection, Class<?>... fixtures) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .addTestExecutionListeners(new UnregisteredDelayWarning(out))
                .build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter(UnregisteredDelayWarning.AUTODETECTION, Boolean.toString(autodetection))
                // what the fixtures would do with the extension does not matter here, only what is said
                .configurationParameter("jchaos.junit.detectThreadLeaks", "false");
        for (Class<?> fixture : fixtures) {
            request.selectors(selectClass(fixture));
        }
        System.setProperty(GUARD, "true");
        try {
            launcher.execute(request.build());
        } finally {
            System.clearProperty(GUARD);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void saysOncePerClassThatTheDelayIsNotActivatedAndWhatToAdd() {
        String said = warnings(false, ForgotChaosTestTestCase.class, ClassLevelDelayTestCase.class,
                NoDelayTestCase.class);

        String forgot = ForgotChaosTestTestCase.class.getName();
        assertThat(said.lines()).hasSize(2);
        // JUnit's method order is its own; whichever delayed test runs first is named
        assertThat(said).containsPattern(java.util.regex.Pattern.quote("[jchaos] " + forgot) + "#delayed(Too)?"
                + java.util.regex.Pattern.quote(" has @InjectDelay, but the jchaos extension is not registered for "
                + "it, so no delay is activated: annotate " + forgot + " with @dev.jchaos.junit.ChaosTest (or enable "
                + "junit.jupiter.extensions.autodetection.enabled)"));
        assertThat(said).contains("[jchaos] " + ClassLevelDelayTestCase.class.getName() + "#plain has @InjectDelay");
    }

    @Test
    void quietWhereverTheExtensionIsRegistered() {
        assertThat(warnings(false, RegisteredTestCase.class, ExtendWithTestCase.class,
                RegisterExtensionTestCase.class, RegisterAsExtensionTestCase.class, SubclassTestCase.class,
                InterfaceRegisteredTestCase.class)).isEmpty();
        assertThat(warnings(true, AutodetectedTestCase.class)).isEmpty();
    }

    @Test
    void theLauncherFindsIt() {
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(UnregisteredDelayWarning.class);
    }
}
