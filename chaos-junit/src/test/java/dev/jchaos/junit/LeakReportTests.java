package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
        return new LeakedThread(id, name, state, frames, false, site);
    }

    @Test
    void groupsIdenticalStateAndStackLargestFirst() {
        List<LeakedThread> leaked = List.of(
                thread(10, "audit", "TIMED_WAITING", SLEEPING, "com.acme.Audit.start(Audit.java:3)"),
                thread(12, "pricing-2", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"),
                thread(11, "pricing-1", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"),
                thread(13, "pricing-3", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"));

        String report = LeakReport.render("PricingTest.quotes()", leaked, List.of());

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
    void saysWhenTheStartSiteIsUnknownAndListsZombies() {
        LeakedThread stubborn = thread(5, "stubborn", "RUNNABLE", SLEEPING, null);
        String report = LeakReport.render("T.m()", List.of(stubborn), List.of(stubborn));
        assertThat(report).startsWith("1 thread leaked by T.m():\n")
                .contains("started at: unknown")
                .contains("1 thread still alive after interrupt (zombies, never counted against later tests): "
                        + "[stubborn]");
    }

    @Test
    void namesUnnamedVirtualThreadsById() {
        LeakedThread virtual = new LeakedThread(77, "", "WAITING", PARKED, true, null);
        assertThat(LeakReport.render("T.m()", List.of(virtual), List.of())).contains("1 @ WAITING  [#77 (virtual)]");
    }
}
