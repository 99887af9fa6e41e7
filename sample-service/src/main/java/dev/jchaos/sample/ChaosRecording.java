package dev.jchaos.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * A JFR recording of the experiment's chaos phase with the JDK's {@code default} settings, where jchaos's
 * {@code dev.jchaos.Injection} events sit beside the threads' parking ({@code jdk.ThreadPark}), saved as
 * {@code chaos.jfr} beside the report.
 */
final class ChaosRecording implements AutoCloseable {

    private final Path file;
    private Recording recording;
    private Path saved;

    ChaosRecording(Path file) {
        this.file = file;
    }

    /**
     * Starts JFR itself (its threads, its repository: about a second on a loaded machine) before the load does, so
     * that starting the chaos phase's recording later is quick and does not stall the service under measurement.
     */
    static void prepare() {
        FlightRecorder.getFlightRecorder();
    }

    void start() {
        try {
            recording = new Recording(Configuration.getConfiguration("default"));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the JDK's default JFR settings: " + e, e);
        }
        recording.setName("jchaos-experiment-chaos");
        recording.enable("dev.jchaos.Injection");
        recording.start();
    }

    /** Stops the recording and writes it to its file; once. */
    void stopAndSave() {
        if (recording == null || saved != null) {
            return;
        }
        try {
            recording.stop();
            Files.createDirectories(file.getParent());
            recording.dump(file);
            saved = file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the chaos phase's JFR recording to " + file, e);
        }
    }

    /** Where the recording was saved, or null. */
    Path saved() {
        return saved;
    }

    @Override
    public void close() {
        if (recording != null) {
            recording.close();
        }
    }
}
