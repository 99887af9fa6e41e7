package dev.jchaos.core.threads;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadSnapshotTest {

    @Test
    void aFrameIsPrintedWithoutItsLoaderOrModuleVersion() {
        StackTraceElement jdk = new StackTraceElement(null, "java.base", "17.0.15", "java.lang.Thread", "run",
                "Thread.java", 840);
        StackTraceElement app = new StackTraceElement("app", null, null, "com.acme.Tally", "add", "Tally.java", 12);

        assertThat(ThreadSnapshot.frame(jdk)).isEqualTo("java.base/java.lang.Thread.run(Thread.java:840)");
        assertThat(ThreadSnapshot.frame(app)).isEqualTo("com.acme.Tally.add(Tally.java:12)");
        assertThat(ThreadSnapshot.frame(new StackTraceElement("a.B", "c", null, -1))).isEqualTo("a.B.c(Unknown Source)");
        assertThat(ThreadSnapshot.frame(new StackTraceElement("a.B", "c", "B.java", -2))).isEqualTo("a.B.c(Native Method)");
        assertThat(ThreadSnapshot.frame(new StackTraceElement("a.B", "c", "B.java", -1))).isEqualTo("a.B.c(B.java)");
    }
}
