package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Leak detection through real fixture tests that leak, linger and stay clean; no delay points involved. */
class LeakDetectionTests {

    /** Parks until interrupted; leaked threads of fixtures end when the extension interrupts them. */
    static void parkUntilInterrupted() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleepUntilInterrupted() {
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread startParker(String name) {
        Thread thread = new Thread(LeakDetectionTests::parkUntilInterrupted, name);
        thread.start();
        return thread;
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 200, minimize = false)
    static class PlainLeakTestCase {

        @Test
        void leaks() {
            for (int i = 1; i <= 3; i++) {
                startParker("pricing-" + i);
            }
            new Thread(LeakDetectionTests::sleepUntilInterrupted, "audit-flusher").start();
        }
    }

    @Test
    void groupsThreeIdenticalLeakedThreadsAndOneOther() throws Exception {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(PlainLeakTestCase.class));

        assertThat(failure).isInstanceOf(ThreadLeakError.class);
        assertThat(((ThreadLeakError) failure).leakedThreads()).isEqualTo(4);
        String report = failure.getMessage();
        assertThat(report).startsWith("4 threads leaked by LeakDetectionTests$PlainLeakTestCase.leaks():\n"
                + "  3 @ WAITING  [pricing-1, pricing-2, pricing-3]\n");
        assertThat(report).contains("  1 @ TIMED_WAITING  [audit-flusher]\n")
                .contains("      at java.base/java.util.concurrent.CountDownLatch.await(")
                .contains("      started at dev.jchaos.junit.LeakDetectionTests.startParker(LeakDetectionTests.java:")
                .contains("      started at dev.jchaos.junit.LeakDetectionTests$PlainLeakTestCase.leaks("
                        + "LeakDetectionTests.java:")
                .doesNotContain("zombies");
        Path file = Paths.get(System.getProperty("basedir", "."), "target", "jchaos-reports",
                "LeakDetectionTests$PlainLeakTestCase", "leaks.txt");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(report);
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks
    static class CleanTestCase {

        private ExecutorService executor;

        @BeforeEach
        void start() {
            executor = Executors.newFixedThreadPool(4);
        }

        @Test
        void usesAndStopsAnExecutor() throws Exception {
            assertThat(executor.submit(() -> 42).get()).isEqualTo(42);
        }

        @Test
        void usesTheCommonPool() {
            int sum = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9).parallelStream().mapToInt(i -> i * i).sum();
            assertThat(CompletableFuture.supplyAsync(() -> sum).join()).isEqualTo(285);
        }

        @AfterEach
        void stop() throws InterruptedException {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void cleanTestsAndCommonPoolWorkPass() {
        Fixtures.assertSucceeded(Fixtures.run(CleanTestCase.class), 2);
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 10_000)
    static class LingeringTestCase {

        @Test
        void leavesAThreadThatFinishesSoon() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            new Thread(() -> {
                running.countDown();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "finishing-soon").start();
            running.await();
        }
    }

    @Test
    void aThreadFinishingWithinLingerPasses() {
        Fixtures.assertSucceeded(Fixtures.run(LingeringTestCase.class), 1);
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, ignoreThreads = "tolerated-.*")
    static class IgnoredTestCase {

        @Test
        void leaksAnIgnoredThread() {
            startParker("tolerated-1");
        }
    }

    @Test
    void ignoredThreadNamesDoNotFail() {
        List<Thread> before = new ArrayList<>(Thread.getAllStackTraces().keySet());
        Fixtures.assertSucceeded(Fixtures.run(IgnoredTestCase.class), 1);
        // the fixture's thread is ignored, not interrupted: stop it so this suite stays leak-free
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && thread.getName().equals("tolerated-1")) {
                thread.interrupt();
            }
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false)
    static class ZombieThenCleanTestCase {

        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Test
        void first() {
            new Thread(() -> {
                while (RELEASE.getCount() > 0) {
                    try {
                        RELEASE.await();
                    } catch (InterruptedException deaf) {
                        // ignores interrupts on purpose: becomes a zombie
                    }
                }
            }, "deaf-zombie").start();
        }

        @Test
        void second() {
            assertThat(1 + 1).isEqualTo(2);
        }
    }

    @Test
    void zombiesAreReportedOnceAndNeverBlamedOnLaterTests() {
        try {
            EngineExecutionResults results = Fixtures.run(ZombieThenCleanTestCase.class);
            results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
            assertThat(Fixtures.onlyFailure(results).getMessage())
                    .contains("1 thread still alive after interrupt (zombies, never counted against later tests): "
                            + "[deaf-zombie]");
        } finally {
            ZombieThenCleanTestCase.RELEASE.countDown();
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(attempts = 0)
    static class BadSettingsTestCase {

        @Test
        void neverRuns() {
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertThat(Fixtures.onlyFailure(Fixtures.run(BadSettingsTestCase.class)))
                .hasMessageContaining("@DetectThreadLeaks(attempts) must be at least 1 but was 0");
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks
    static class ConcurrentTestCase {

        @Test
        void runsInParallel() {
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks
    @Isolated
    static class IsolatedTestCase {

        @Test
        void runsAlone() {
        }
    }

    @Test
    void parallelExecutionRequiresIsolatedLeakCheckedTests() {
        String[] parallel = {"junit.jupiter.execution.parallel.enabled", "true"};
        assertThat(Fixtures.onlyFailure(Fixtures.run(ConcurrentTestCase.class, parallel)))
                .hasMessageContaining("@org.junit.jupiter.api.parallel.Isolated");
        Fixtures.assertSucceeded(Fixtures.run(IsolatedTestCase.class, parallel), 1);
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 200, minimize = false)
    static class VirtualLeakTestCase {

        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Test
        void leaksAVirtualThread() throws Exception {
            // reflection: this module compiles for release 17, where Thread.ofVirtual() does not exist
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Method name = builderType.getMethod("name", String.class);
            Method start = builderType.getMethod("start", Runnable.class);
            Runnable waitForRelease = () -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            start.invoke(name.invoke(builder, "virtual-leak"), waitForRelease);
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadLeaksAreFoundOnJdk21AndLater() {
        try {
            Throwable failure = Fixtures.onlyFailure(Fixtures.run(VirtualLeakTestCase.class));
            assertThat(failure).isInstanceOf(ThreadLeakError.class);
            assertThat(failure.getMessage()).contains("1 @ WAITING  [virtual-leak]")
                    .contains("at java.base/java.util.concurrent.CountDownLatch.await(")
                    .contains("LeakDetectionTests$VirtualLeakTestCase.lambda$leaksAVirtualThread$");
        } finally {
            // a virtual thread cannot be reached from a dump to be interrupted: end it here
            VirtualLeakTestCase.RELEASE.countDown();
        }
    }
}
