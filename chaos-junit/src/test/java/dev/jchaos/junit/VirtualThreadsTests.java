package dev.jchaos.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jchaos.core.threads.ThreadSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualThreadsTests {

    @Test
    void keepsTheVirtualThreadsCreatedAfterTheWatermark() {
        List<ThreadSnapshot> dump = List.of(
                new ThreadSnapshot(8, "old", "WAITING", List.of(), true, null),
                new ThreadSnapshot(23, "vleak", "WAITING", List.of("Vt.lambda$main$0(Vt.java:5)"), true, null),
                new ThreadSnapshot(25, "", "WAITING", List.of("Vt.task(Vt.java:9)"), true, null));
        List<LeakedThread> found = VirtualThreads.above(dump, 20);
        assertThat(found).extracting(LeakedThread::id).containsExactly(23L, 25L);
        assertThat(found.get(0).name()).isEqualTo("vleak");
        assertThat(found.get(0).virtual()).isTrue();
        assertThat(found.get(0).frames()).containsExactly("Vt.lambda$main$0(Vt.java:5)");
        assertThat(found.get(1).displayName()).isEqualTo("#25 (virtual)");
    }
}
