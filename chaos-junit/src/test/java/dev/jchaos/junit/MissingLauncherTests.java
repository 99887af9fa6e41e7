package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jchaos.junit.demo.Leftovers;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runner without the JUnit Platform launcher on the test class path: the leak is still reported, and the
 * minimization says in one message what to add instead of failing with a {@link NoClassDefFoundError}.
 */
class MissingLauncherTests {

    @AfterEach
    void stopWhatTheFixturesLeaked() throws InterruptedException {
        Leftovers.stopAll();
    }

    /** Loads chaos-junit's own classes itself, from where they are, and hides the launcher from them. */
    static final class WithoutLauncher extends URLClassLoader {

        WithoutLauncher() {
            super(new URL[] {location(ChaosExtension.class), location(MissingLauncherTests.class)},
                    MissingLauncherTests.class.getClassLoader());
        }

        private static URL location(Class<?> type) {
            return type.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.junit.platform.launcher.")) {
                throw new ClassNotFoundException(name + " (hidden: this runner has no launcher)");
            }
            // the demo application stays shared, so its leaked threads are stopped by this suite
            if (!name.startsWith("dev.jchaos.junit.") || name.startsWith("dev.jchaos.junit.demo.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }

    @Test
    void withoutALauncherTheLeakIsReportedAndTheMinimizationSaysWhatToAdd() throws Exception {
        try (WithoutLauncher loader = new WithoutLauncher()) {
            Class<?> fixture = loader.loadClass(MinimizationTests.OneOfFourTestCase.class.getName());
            assertThat(fixture.getClassLoader()).isSameAs(loader);

            // auto-detection off: only the fixture's own (launcher-less) copy of the extension runs
            Throwable failure = Fixtures.onlyFailure(Fixtures.run(fixture,
                    "junit.jupiter.extensions.autodetection.enabled", "false"));

            assertThat(failure.getClass().getName()).isEqualTo(ThreadLeakError.class.getName());
            assertThat(failure.getMessage())
                    .startsWith("1 thread leaked by MinimizationTests$OneOfFourTestCase.quote():\n")
                    .contains("Minimal failing configuration not searched: the JUnit Platform launcher is not on "
                            + "the test class path; add org.junit.platform:junit-platform-launcher")
                    .contains("  dev.jchaos.junit.demo.QuoteService#price=delay(500ms)\n")
                    .doesNotContain("Minimal failing configuration (")
                    .contains("Replay: @ChaosTest(seed = 8812733) or -Djchaos.seed=8812733\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
