package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LeakReportTests {

    private static final List<String> PARKED = List.of(
            "java.base/jdk.internal.misc.Unsafe.park(Native Method)",
            "java.base/java.util.concurrent.locks.LockSupport.park(LockSupport.java:341)",
            "com.acme.Pricing.lambda$quote$0(Pricing.java:42)",
            "java.base/java.lang.Thread.run(Thread.java:840)");
    private static final List<String> SLEEPING = List.of(
            "java.base/java.lang.Thread.sleep(Native Method)",
            "com.acme.Audit.flush(Audit.java:7)");

    private static LeakedThread thread(long id, String name, String state, List<String> frames, String site) {
        return new LeakedThread(id, name, state, frames, false,
                site == null ? null : new LeakedThread.Start(site, "main", null));
    }

    private static Attribution.Verdict own(LeakedThread... threads) {
        return new Attribution.Verdict(List.of(threads), List.of(), Map.of());
    }

    @Test
    void groupsIdenticalStateAndStackLargestFirst() {
        Attribution.Verdict leaked = own(
                thread(10, "audit", "TIMED_WAITING", SLEEPING, "com.acme.Audit.start(Audit.java:3)"),
                thread(12, "pricing-2", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"),
                thread(11, "pricing-1", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"),
                thread(13, "pricing-3", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"));

        String report = LeakReport.render("PricingTest.quotes()", leaked, false);

        assertThat(report).isEqualTo(String.join("\n",
                "4 threads leaked by PricingTest.quotes():",
                "  3 @ WAITING  [pricing-1, pricing-2, pricing-3]",
                "      at java.base/jdk.internal.misc.Unsafe.park(Native Method)",
                "      at java.base/java.util.concurrent.locks.LockSupport.park(LockSupport.java:341)",
                "      at com.acme.Pricing.lambda$quote$0(Pricing.java:42)",
                "      at java.base/java.lang.Thread.run(Thread.java:840)",
                "      started at com.acme.Pricing.quote(Pricing.java:40)",
                "  1 @ TIMED_WAITING  [audit]",
                "      at java.base/java.lang.Thread.sleep(Native Method)",
                "      at com.acme.Audit.flush(Audit.java:7)",
                "      started at com.acme.Audit.start(Audit.java:3)",
                ""));
    }

    @Test
    void sameStackInAnotherStateIsAnotherGroup() {
        List<LeakReport.Group> groups = LeakReport.group(List.of(
                thread(1, "a", "WAITING", PARKED, null),
                thread(2, "b", "TIMED_WAITING", PARKED, null)));
        assertThat(groups).hasSize(2);
    }

    @Test
    void saysWhenTheStartSiteIsUnknown() {
        String report = LeakReport.render("T.m()", own(thread(5, "stubborn", "RUNNABLE", SLEEPING, null)), false);
        assertThat(report).startsWith("1 thread leaked by T.m():\n")
                .contains("started at: unknown (no jdk.ThreadStart event recorded for it)");
    }

    @Test
    void namesUnnamedVirtualThreadsByIdAndTheTaskTheyRun() {
        LeakedThread virtual = new LeakedThread(77, "", "WAITING", PARKED, true, null);
        assertThat(LeakReport.render("T.m()", own(virtual), false)).contains("1 @ WAITING  [#77 (virtual)]")
                .contains("started at: unknown (the JDK records no start stack for virtual threads); it runs "
                        + "com.acme.Pricing.lambda$quote$0(Pricing.java:42)");
    }

    @Test
    void threadsOfAnEarlierTestGetTheirOwnSectionNamingTheThreadThatStartedThem() {
        LeakedThread mine = thread(20, "mine", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)");
        LeakedThread worker = new LeakedThread(21, "pool-1-thread-2", "WAITING", PARKED, false,
                new LeakedThread.Start("com.acme.Pool.grow(Pool.java:9)", "pool-1-thread-1", null));
        LeakedThread grandchild = new LeakedThread(22, "pool-1-thread-3", "TIMED_WAITING", SLEEPING, false,
                new LeakedThread.Start("com.acme.Pool.grow(Pool.java:9)", "pool-1-thread-2", null));
        Attribution.Verdict verdict = new Attribution.Verdict(List.of(mine), List.of(worker, grandchild),
                Map.of(21L, "pool-1-thread-1", 22L, "pool-1-thread-1"));

        String report = LeakReport.render("T.m()", verdict, false);

        assertThat(report).startsWith("1 thread leaked by T.m():\n")
                .contains("2 threads started during the test by an earlier test's thread (not counted against this "
                        + "test; failOnThreadsFromEarlierTests = true counts them):\n")
                .contains("      started at com.acme.Pool.grow(Pool.java:9) by pool-1-thread-1, alive before this "
                        + "test\n")
                .contains("      started at com.acme.Pool.grow(Pool.java:9) by pool-1-thread-2, started by "
                        + "pool-1-thread-1, alive before this test\n");
        assertThat(LeakReport.render("T.m()", new Attribution.Verdict(List.of(), List.of(worker),
                Map.of(21L, "pool-1-thread-1")), true))
                .startsWith("1 thread started during T.m() by an earlier test's thread (counted against this test: "
                        + "failOnThreadsFromEarlierTests = true):\n");
    }

    @Test
    void aThreadStartedInAStaticInitializerIsLabelledWithTheRegexThatIgnoresIt() {
        LeakedThread selector = new LeakedThread(30, "HttpClient-12-SelectorManager", "RUNNABLE", SLEEPING, false,
                new LeakedThread.Start("com.acme.Clients.<clinit>(Clients.java:8)", "main",
                        "com.acme.Clients.<clinit>(Clients.java:8)"));

        String report = LeakReport.render("T.m()", own(selector), false);

        assertThat(report).contains("      likely a process-wide singleton: started inside the static initializer "
                + "com.acme.Clients.<clinit>(Clients.java:8),\n"
                + "      so it is reported against whichever test first used it; to ignore it: "
                + "@DetectThreadLeaks(ignoreThreads = \"HttpClient-\\\\d+-SelectorManager\")\n");
    }

    @Test
    void theSuggestedRegexGeneralisesDigitsEscapesMetacharactersAndMatchesEveryName() {
        List<LeakedThread> threads = List.of(
                thread(1, "pool-3-thread-1", "WAITING", PARKED, null),
                thread(2, "pool-3-thread-12", "WAITING", PARKED, null),
                thread(3, "cache.evictor[7]", "WAITING", PARKED, null));

        String regex = LeakReport.ignoreRegex(threads);

        assertThat(regex).isEqualTo("pool-\\d+-thread-\\d+|cache\\.evictor\\[\\d+\\]");
        for (LeakedThread thread : threads) {
            assertThat(Pattern.compile(regex).matcher(thread.name()).matches()).as(thread.name()).isTrue();
        }
        assertThat(Pattern.compile(regex).matcher("cacheXevictor[7]").matches()).isFalse();
        assertThat(LeakReport.ignoreRegex(List.of(new LeakedThread(4, "", "WAITING", PARKED, true, null)))).isNull();
    }
}
