package dev.jchaos.core.threads;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pprof-style groups: the lines chaos-junit's leak report shows, and {@code threads <pid>} prints. */
class StackGroupsTest {

    private static final List<String> PARKED = List.of(
            "java.base/jdk.internal.misc.Unsafe.park(Native Method)",
            "java.base/java.util.concurrent.locks.LockSupport.park(LockSupport.java:341)",
            "com.acme.Pricing.lambda$quote$0(Pricing.java:42)",
            "java.base/java.lang.Thread.run(Thread.java:840)");
    private static final List<String> SLEEPING = List.of(
            "java.base/java.lang.Thread.sleep(Native Method)",
            "com.acme.Audit.flush(Audit.java:7)");

    private static ThreadSnapshot thread(long id, String name, String state, List<String> frames, String site) {
        return new ThreadSnapshot(id, name, state, frames, false, site);
    }

    @Test
    void groupsIdenticalStateAndStackBiggestFirstWithNamesFramesAndStartSites() {
        List<ThreadSnapshot> threads = List.of(
                thread(10, "audit", "TIMED_WAITING", SLEEPING, "com.acme.Audit.start(Audit.java:3)"),
                thread(12, "pricing-2", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"),
                thread(11, "pricing-1", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"),
                thread(13, "pricing-3", "WAITING", PARKED, "com.acme.Pricing.quote(Pricing.java:40)"));

        assertThat(StackGroups.render(threads, "started at: unknown")).isEqualTo(String.join("\n",
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
    void namesAreListedAsAReaderCountsThem() {
        List<ThreadSnapshot> threads = new java.util.ArrayList<>();
        for (String name : new String[] {"parked-10", "parked-2", "parked-1", "parked-02b", "parked-", "Parked-3",
                "parked-100"}) {
            threads.add(thread(threads.size() + 1, name, "WAITING", PARKED, null));
        }
        List<StackGroup> groups = StackGroups.group(threads);
        List<String> names = new java.util.ArrayList<>();
        groups.get(0).threads().forEach(t -> names.add(t.name()));
        assertThat(names).containsExactly("Parked-3", "parked-", "parked-1", "parked-2", "parked-02b", "parked-10",
                "parked-100");
        assertThat(StackGroups.naturally("a-007", "a-7")).isNotZero(); // distinct names never compare equal
    }

    @Test
    void sameStackInAnotherStateIsAnotherGroup() {
        List<StackGroup> groups = StackGroups.group(List.of(
                thread(1, "a", "WAITING", PARKED, null),
                thread(2, "b", "TIMED_WAITING", PARKED, null)));
        assertThat(groups).extracting(StackGroup::state).containsExactly("WAITING", "TIMED_WAITING");
    }

    @Test
    void equalSizedGroupsKeepTheOrderTheirFirstThreadCameIn() {
        List<StackGroup> groups = StackGroups.group(List.of(
                thread(1, "sleeper", "TIMED_WAITING", SLEEPING, null),
                thread(2, "parked", "WAITING", PARKED, null)));
        assertThat(groups).extracting(g -> g.threads().get(0).name()).containsExactly("sleeper", "parked");
    }

    @Test
    void unknownStartSiteLineIsTheCallersOrNothing() {
        ThreadSnapshot stubborn = thread(5, "stubborn", "RUNNABLE", SLEEPING, null);
        assertThat(StackGroups.render(List.of(stubborn), "started at: unknown (not recorded)"))
                .endsWith("      started at: unknown (not recorded)\n");
        assertThat(StackGroups.render(List.of(stubborn), null)).doesNotContain("started");
    }

    @Test
    void aGroupWithSeveralStartSitesListsEachOnce() {
        String report = StackGroups.render(List.of(
                thread(1, "pool-1", "WAITING", PARKED, "com.acme.A.start(A.java:1)"),
                thread(2, "pool-2", "WAITING", PARKED, "com.acme.A.start(A.java:2)"),
                thread(3, "pool-3", "WAITING", PARKED, "com.acme.A.start(A.java:1)")), null);
        assertThat(report).containsOnlyOnce("started at com.acme.A.start(A.java:1)")
                .containsOnlyOnce("started at com.acme.A.start(A.java:2)");
    }

    @Test
    void namesUnnamedVirtualThreadsByIdAndSaysWhenThereAreNoFrames() {
        ThreadSnapshot virtual = new ThreadSnapshot(77, "", "WAITING", List.of(), true, null);
        assertThat(StackGroups.render(List.of(virtual), null))
                .isEqualTo("  1 @ WAITING  [#77 (virtual)]\n      (no Java frames)\n");
    }
}
