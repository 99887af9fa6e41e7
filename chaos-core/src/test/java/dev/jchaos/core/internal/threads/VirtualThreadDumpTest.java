package dev.jchaos.core.internal.threads;

import dev.jchaos.core.internal.MiniJson;
import dev.jchaos.core.threads.ThreadSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDK's JSON thread dump, read for its virtual threads (what chaos-junit and {@code threads <pid>} see). */
class VirtualThreadDumpTest {

    /** The shape of {@code HotSpotDiagnosticMXBean.dumpThreads(..., JSON)} on JDK 25, trimmed. */
    private static final String DUMP = "{\n"
            + "  \"threadDump\": {\n"
            + "    \"processId\": \"7183\",\n"
            + "    \"threadContainers\": [\n"
            + "      {\n"
            + "        \"container\": \"<root>\", \"parent\": null, \"owner\": null,\n"
            + "        \"threads\": [\n"
            + "          {\"tid\": \"3\", \"name\": \"main\", \"state\": \"RUNNABLE\", \"stack\": []},\n"
            + "          {\"tid\": \"23\", \"virtual\": true, \"name\": \"vleak\", \"state\": \"WAITING\",\n"
            + "           \"parkBlocker\": {\"object\": \"java.util.concurrent.CountDownLatch$Sync@333291e3\"},\n"
            + "           \"stack\": [\"java.base\\/java.lang.VirtualThread.park(VirtualThread.java:742)\",\n"
            + "                     \"Vt.lambda$main$0(Vt.java:5)\"]}\n"
            + "        ],\n"
            + "        \"threadCount\": \"2\"\n"
            + "      },\n"
            + "      {\n"
            + "        \"container\": \"java.util.concurrent.ThreadPerTaskExecutor@384ad17b\",\n"
            + "        \"parent\": \"<root>\",\n"
            + "        \"threads\": [\n"
            + "          {\"tid\": \"25\", \"virtual\": true, \"name\": \"\", \"state\": \"WAITING\",\n"
            + "           \"stack\": [\"Vt.task(Vt.java:9)\"]},\n"
            + "          {\"tid\": \"8\", \"virtual\": true, \"name\": \"old\", \"stack\": []}\n"
            + "        ]\n"
            + "      }\n"
            + "    ]\n"
            + "  }\n"
            + "}\n";

    @Test
    void readsTheVirtualThreadsOfEveryContainer() {
        List<ThreadSnapshot> found = LiveThreads.parseVirtual(DUMP);
        assertThat(found).extracting(ThreadSnapshot::id).containsExactly(23L, 25L, 8L);
        ThreadSnapshot vleak = found.get(0);
        assertThat(vleak.name()).isEqualTo("vleak");
        assertThat(vleak.state()).isEqualTo("WAITING");
        assertThat(vleak.virtual()).isTrue();
        assertThat(vleak.frames()).containsExactly(
                "java.base/java.lang.VirtualThread.park(VirtualThread.java:742)", "Vt.lambda$main$0(Vt.java:5)");
        assertThat(found.get(1).displayName()).isEqualTo("#25 (virtual)");
        assertThat(found.get(2).state()).isEqualTo("UNKNOWN");
    }

    @Test
    void rejectsMalformedJsonLoudly() {
        assertThatThrownBy(() -> MiniJson.parse("{\"a\": [1, 2}")).hasMessageContaining("expected ']'");
    }

    @Test
    void decodesEscapes() {
        assertThat(MiniJson.parse("\"a\\u0041\\n\\/\"")).isEqualTo("aA\n/");
    }
}
