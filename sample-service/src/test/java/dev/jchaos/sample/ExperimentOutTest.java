package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An --out the report cannot be written to is refused before the experiment starts, not after it ran. */
class ExperimentOutTest {

    @TempDir
    Path dir;

    @Test
    void aPlaceThatCannotHoldTheReportIsRefusedUpFront() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> Experiment.validateOut(file.resolve("report")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--out: cannot write the report to " + file.resolve("report"));
        assertThatThrownBy(() -> Experiment.validateOut(Path.of("/proc/jchaos-no-such-place")))
                .hasMessageStartingWith("--out: cannot write the report to /proc/jchaos-no-such-place");
    }

    @Test
    void aWritablePlaceIsMadeAndLeftEmpty() throws Exception {
        Path out = dir.resolve("deep/er/out");
        Experiment.validateOut(out);
        assertThat(out).isDirectory().isEmptyDirectory();
    }
}
