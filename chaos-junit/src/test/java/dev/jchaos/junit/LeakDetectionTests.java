package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import dev.jchaos.junit.demo.Leftovers;
import dev.jchaos.junit.demo.SharedTimer;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Leak detection through real fixture tests that leak, linger and stay clean; no delay points involved. */
class LeakDetectionTests {

    @AfterEach
    void stopWhatTheFixturesLeaked() throws InterruptedException {
        Leftovers.stopAll();
    }

    /** Parks until interrupted. */
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
        return Leftovers.track(thread);
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 200, minimize = false)
    static class PlainLeakTestCase {

        @Test
        void leaks() {
            for (int i = 1; i <= 3; i++) {
                startParker("pricing-" + i);
            }
            Thread flusher = new Thread(LeakDetectionTests::sleepUntilInterrupted, "audit-flusher");
            flusher.start();
            Leftovers.track(flusher);
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
                .doesNotContain("(interrupt = true)");
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
        Fixtures.assertSucceeded(Fixtures.run(IgnoredTestCase.class), 1);
    }

    @Test
    void theIgnoreThreadsParameterAddsOneRegexForTheWholeSuite() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(PlainLeakTestCase.class,
                LeakSettings.IGNORE_THREADS, "pricing-\\d+|nothing-else"));

        assertThat(failure.getMessage()).startsWith("1 thread leaked by ").contains("[audit-flusher]")
                .doesNotContain("pricing-");
        assertThat(Fixtures.onlyFailure(Fixtures.run(PlainLeakTestCase.class, LeakSettings.IGNORE_THREADS, "(")))
                .hasMessageStartingWith("jchaos.junit.ignoreThreads is a bad regex \"(\": ");
    }

    @Test
    void leakedThreadsAreLeftRunningByDefault() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(PlainLeakTestCase.class));

        assertThat(failure.getMessage()).doesNotContain("(interrupt = true)");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .contains("pricing-1", "pricing-2", "pricing-3", "audit-flusher");
    }

    /** A thread object made before the test and started by it, one made and started by it, and a deaf one. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false, interrupt = true)
    static class InterruptingTestCase {

        static final CountDownLatch RELEASE = new CountDownLatch(1);
        static Thread madeEarlier;

        @BeforeAll
        static void makeAThreadBeforeTheTest() {
            madeEarlier = new Thread(LeakDetectionTests::parkUntilInterrupted, "made-before-the-test");
        }

        @Test
        void leaks() {
            madeEarlier.start();
            Leftovers.track(madeEarlier);
            startParker("made-by-the-test");
            Thread deaf = new Thread(() -> {
                while (RELEASE.getCount() > 0) {
                    try {
                        RELEASE.await();
                    } catch (InterruptedException deafToIt) {
                        // ignores interrupts on purpose
                    }
                }
            }, "deaf");
            deaf.start();
            Leftovers.track(deaf);
        }
    }

    @Test
    void interruptTrueInterruptsOnlyThreadsCreatedDuringTheTest() throws Exception {
        try {
            String report = Fixtures.onlyFailure(Fixtures.run(InterruptingTestCase.class)).getMessage();

            assertThat(report).startsWith("3 threads leaked by LeakDetectionTests$InterruptingTestCase.leaks():\n")
                    .contains("Interrupted 2 leaked threads (interrupt = true): 1 still alive after 1000 ms: [deaf]; "
                            + "not interrupted (virtual, or created before the test): [made-before-the-test]\n");
            assertThat(InterruptingTestCase.madeEarlier.isAlive()).isTrue();
        } finally {
            InterruptingTestCase.RELEASE.countDown();
        }
    }

    @Test
    void theInterruptLeaksParameterTurnsInterruptingOnForASuite() throws Exception {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(PlainLeakTestCase.class,
                LeakSettings.INTERRUPT, "true"));

        assertThat(failure.getMessage()).contains("Interrupted 4 leaked threads (interrupt = true): all ended\n");
    }

    @Test
    void aBadPolicyParameterIsNamed() {
        assertThat(Fixtures.onlyFailure(Fixtures.run(PlainLeakTestCase.class, LeakSettings.INTERRUPT, "yes")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("jchaos.junit.interruptLeaks must be true or false but was \"yes\"");
    }

    /**
     * goleak's bug #83: the first test leaves a dispatcher behind that starts pool workers on request; during the
     * second test it starts one. That worker is not the second test's leak.
     */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class EarlierTestsPoolTestCase {

        static final BlockingQueue<Runnable> REQUESTS = new LinkedBlockingQueue<>();
        static ExecutorService pool;

        @Test
        @Order(1)
        void leavesADispatcherBehind() {
            pool = Executors.newCachedThreadPool(r -> new Thread(r, "left-pool-worker"));
            Thread dispatcher = new Thread(() -> {
                try {
                    while (true) {
                        pool.execute(REQUESTS.take());
                    }
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }, "left-dispatcher");
            dispatcher.start();
            Leftovers.track(dispatcher);
        }

        @Test
        @Order(2)
        void getsAWorkerStartedByTheEarlierTestsDispatcher() throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            REQUESTS.add(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void threadsStartedByAnEarlierTestsThreadAreReportedApartAndDoNotFail() throws Exception {
        try {
            EngineExecutionResults results = Fixtures.run(EarlierTestsPoolTestCase.class);

            results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
            assertThat(Fixtures.onlyFailure(results).getMessage())
                    .startsWith("1 thread leaked by LeakDetectionTests$EarlierTestsPoolTestCase.leavesADispatcherBehind()");
            Path report = Paths.get(System.getProperty("basedir", "."), "target", "jchaos-reports",
                    "LeakDetectionTests$EarlierTestsPoolTestCase", "getsAWorkerStartedByTheEarlierTestsDispatcher.txt");
            assertThat(new String(Files.readAllBytes(report), StandardCharsets.UTF_8))
                    .startsWith("1 thread started during LeakDetectionTests$EarlierTestsPoolTestCase."
                            + "getsAWorkerStartedByTheEarlierTestsDispatcher() by an earlier test's thread (not counted "
                            + "against this test; failOnThreadsFromEarlierTests = true counts them):\n"
                            + "  1 @ TIMED_WAITING  [left-pool-worker]\n")
                    .contains("by left-dispatcher, alive before this test\n");
        } finally {
            stopEarlierTestsPool();
        }
    }

    @Test
    void failOnThreadsFromEarlierTestsCountsThem() throws Exception {
        try {
            EngineExecutionResults results = Fixtures.run(EarlierTestsPoolTestCase.class,
                    LeakSettings.FAIL_ON_EARLIER, "true");

            results.testEvents().assertStatistics(stats -> stats.failed(2));
            Throwable second = Fixtures.failures(results).get(1);
            assertThat(second).isInstanceOf(ThreadLeakError.class);
            assertThat(((ThreadLeakError) second).leakedThreads()).isEqualTo(1);
            assertThat(second.getMessage()).contains("by an earlier test's thread (counted against this test: "
                    + "failOnThreadsFromEarlierTests = true)");
        } finally {
            stopEarlierTestsPool();
        }
    }

    private static void stopEarlierTestsPool() throws InterruptedException {
        Leftovers.stopAll();
        EarlierTestsPoolTestCase.pool.shutdownNow();
        assertThat(EarlierTestsPoolTestCase.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The test's own tasks on the common pool start a thread: that thread is the test's, not an earlier one's. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false)
    static class CommonPoolStartsTestCase {

        @Test
        void startsAThreadFromTheCommonPool() {
            CompletableFuture.runAsync(() -> startParker("from-the-common-pool")).join();
        }
    }

    @Test
    void aThreadStartedByTheTestsTaskOnTheCommonPoolIsTheTestsLeak() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(CommonPoolStartsTestCase.class));

        assertThat(failure.getMessage()).startsWith("1 thread leaked by ")
                .contains("[from-the-common-pool]").doesNotContain("earlier test");
    }

    /** The method runs on JUnit's timeout thread, not the thread of the callbacks: its children are the test's. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false)
    static class SeparateThreadTimeoutTestCase {

        @Test
        @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void leaksFromTheTimeoutThread() {
            assertThat(Thread.currentThread().getName()).startsWith("junit-timeout-thread-");
            startParker("from-the-timeout-thread");
        }

        @Test
        @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void leaksAgainFromTheTimeoutThread() {
            startParker("again-from-the-timeout-thread");
        }
    }

    @Test
    void aThreadStartedByTheTestMethodOnASeparateTimeoutThreadIsTheTestsLeak() {
        EngineExecutionResults results = Fixtures.run(SeparateThreadTimeoutTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.failed(2));
        assertThat(Fixtures.failures(results)).allSatisfy(failure -> assertThat(failure.getMessage())
                .startsWith("1 thread leaked by ").contains("from-the-timeout-thread]").doesNotContain("earlier test"));
    }

    /** A child of a child of the test's thread is the test's. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false)
    static class GrandchildTestCase {

        @Test
        void startsAThreadThatStartsAThread() throws InterruptedException {
            Thread parent = new Thread(() -> startParker("grandchild"), "short-lived-parent");
            parent.start();
            parent.join();
        }
    }

    @Test
    void aThreadStartedByAThreadTheTestStartedIsTheTestsEvenWhenThatOneEnded() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(GrandchildTestCase.class));

        assertThat(failure.getMessage()).startsWith("1 thread leaked by ").contains("[grandchild]")
                .doesNotContain("earlier test");
    }

    /** The first test to use a lazily started singleton gets its thread. */
    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false)
    static class StaticInitializerTestCase {

        @Test
        void usesTheSharedTimer() throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            SharedTimer.schedule(new TimerTask() {
                @Override
                public void run() {
                    ran.countDown();
                }
            }, 1);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @EnabledIfSystemProperty(named = Fixtures.GUARD, matches = "true")
    @DetectThreadLeaks(lingerMs = 100, minimize = false, ignoreThreads = "shared-timer-\\d+")
    static class IgnoresTheSingletonTestCase {

        @Test
        void startsATimerLikeTheSharedOne() {
            new Timer("shared-timer-8").cancel();
            Thread timerLike = new Thread(LeakDetectionTests::parkUntilInterrupted, "shared-timer-9");
            timerLike.start();
            Leftovers.track(timerLike);
        }
    }

    @Test
    void aThreadStartedFromAStaticInitializerIsLabelledASingletonWithTheRegexThatIgnoresIt() {
        try {
            String report = Fixtures.onlyFailure(Fixtures.run(StaticInitializerTestCase.class)).getMessage();

            assertThat(report).startsWith("1 thread leaked by LeakDetectionTests$StaticInitializerTestCase"
                    + ".usesTheSharedTimer():\n  1 @ WAITING  [shared-timer-7]\n")
                    .contains("      started at dev.jchaos.junit.demo.SharedTimer.<clinit>(SharedTimer.java:")
                    .contains("      likely a process-wide singleton: started inside the static initializer "
                            + "dev.jchaos.junit.demo.SharedTimer.<clinit>(SharedTimer.java:")
                    .contains("      so it is reported against whichever test first used it; to ignore it: "
                            + "@DetectThreadLeaks(ignoreThreads = \"shared-timer-\\\\d+\")\n");
            // the suggested regex, as written in the report, silences threads so named
            Fixtures.assertSucceeded(Fixtures.run(IgnoresTheSingletonTestCase.class), 1);
        } finally {
            SharedTimer.cancel();
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
