package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadCensusTests {

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        release.countDown();
        for (Thread thread : started) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private Thread startWaiter(String name) {
        Thread thread = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        started.add(thread);
        return thread;
    }

    @Test
    void findsAThreadStartedAfterTheBaselineWithItsStateAndStack() throws Exception {
        ThreadCensus census = new ThreadCensus(List.of());
        ThreadCensus.Baseline before = ThreadCensus.baseline();
        Thread waiter = startWaiter("census-waiter");

        ThreadCensus.Leak leak = census.leaksSince(before, 100);

        assertThat(leak.threads()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(waiter.getId());
            assertThat(t.name()).isEqualTo("census-waiter");
            assertThat(t.state()).isEqualTo("WAITING");
            assertThat(t.frames()).anyMatch(f -> f.contains("CountDownLatch.await"));
        });
    }

    @Test
    void ignoresThreadsThatWereAliveBefore() throws Exception {
        startWaiter("census-old");
        ThreadCensus.Baseline before = ThreadCensus.baseline();
        assertThat(new ThreadCensus(List.of()).leaksSince(before, 0).isEmpty()).isTrue();
    }

    @Test
    void aThreadEndingWithinLingerIsNotALeak() throws Exception {
        ThreadCensus.Baseline before = ThreadCensus.baseline();
        CountDownLatch running = new CountDownLatch(1);
        Thread brief = new Thread(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "census-brief");
        brief.start();
        started.add(brief);
        running.await();
        // released while the census lingers: it must wait for the thread rather than blame it
        CompletableFuture<Void> releaser = CompletableFuture.runAsync(release::countDown,
                CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));

        ThreadCensus.Leak leak = new ThreadCensus(List.of()).leaksSince(before, 5_000);

        assertThat(leak.isEmpty()).isTrue();
        releaser.join();
    }

    @Test
    void userRegexesAndBuiltInsAreIgnored() throws Exception {
        ThreadCensus.Baseline before = ThreadCensus.baseline();
        startWaiter("my-pool-1");
        startWaiter("jchaos-something");
        startWaiter("ForkJoinPool.commonPool-worker-99");
        assertThat(new ThreadCensus(List.of("my-pool-\\d+")).leaksSince(before, 0).isEmpty()).isTrue();
    }

    @Test
    void commonPoolWorkIsNotALeak() throws Exception {
        ThreadCensus.Baseline before = ThreadCensus.baseline();
        int sum = List.of(1, 2, 3, 4, 5, 6, 7, 8).parallelStream().mapToInt(i -> i).sum();
        CompletableFuture.supplyAsync(() -> sum).join();
        assertThat(new ThreadCensus(List.of()).leaksSince(before, 0).isEmpty()).isTrue();
    }

    @Test
    void interruptStopsLeakedThreadsAndReportsSurvivors() throws Exception {
        ThreadCensus.Baseline before = ThreadCensus.baseline();
        startWaiter("census-interruptible");
        CountDownLatch stubbornRunning = new CountDownLatch(1);
        Thread stubborn = new Thread(() -> {
            stubbornRunning.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // deliberately deaf to interrupts: a zombie
                }
            }
        }, "census-stubborn");
        stubborn.start();
        started.add(stubborn);
        stubbornRunning.await();
        ThreadCensus.Leak leak = new ThreadCensus(List.of()).leaksSince(before, 0);

        List<Thread> alive = ThreadCensus.interrupt(List.copyOf(leak.platformThreads().values()), 200);

        assertThat(leak.threads()).hasSize(2);
        assertThat(alive).extracting(Thread::getName).containsExactly("census-stubborn");
    }

    @Test
    void creationSiteIsTheFirstApplicationFrameOfTheStarter() throws Exception {
        CreationSites sites = CreationSites.start();
        assertThat(sites).isNotNull();
        Thread waiter = startWaiter("census-sited");

        Map<Long, CreationSites.StartEvent> found = sites.startsOf(id -> id == waiter.getId());

        assertThat(found).containsOnlyKeys(waiter.getId());
        CreationSites.StartEvent event = found.get(waiter.getId());
        assertThat(event.start().site())
                .startsWith("dev.jchaos.junit.ThreadCensusTests.startWaiter(ThreadCensusTests.java:");
        assertThat(event.starterId()).isEqualTo(Thread.currentThread().getId());
        assertThat(event.starterName()).isEqualTo(Thread.currentThread().getName());
        assertThat(event.start().staticInitializer()).isNull();
    }

    /** Starts its thread from its static initializer, as a lazily created process-wide singleton does. */
    static final class LazySingleton {
        static final CountDownLatch RELEASE = new CountDownLatch(1);
        static final Thread THREAD = new Thread(() -> {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lazy-singleton-1");

        static {
            THREAD.setDaemon(true);
            THREAD.start();
        }
    }

    @Test
    void aThreadStartedFromAStaticInitializerCarriesThatFrame() throws Exception {
        CreationSites sites = CreationSites.start();
        Thread singleton = LazySingleton.THREAD;
        try {
            CreationSites.StartEvent event = sites.startsOf(id -> id == singleton.getId()).get(singleton.getId());
            assertThat(event.start().staticInitializer())
                    .startsWith("dev.jchaos.junit.ThreadCensusTests$LazySingleton.<clinit>(ThreadCensusTests.java:");
        } finally {
            LazySingleton.RELEASE.countDown();
            singleton.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void frameworkFramesAreNotApplicationFrames() {
        assertThat(CreationSites.isApplication("java.util.concurrent.ThreadPoolExecutor")).isFalse();
        assertThat(CreationSites.isApplication("org.junit.platform.Foo")).isFalse();
        assertThat(CreationSites.isApplication("com.acme.Pricing")).isTrue();
    }
}
