package dev.jchaos.core.it.cli;

import java.util.ArrayList;
import java.util.List;

/** Runs a forked JVM to its end, for tests outside this package. */
public final class JvmRuns {

    public static final String AGENT = Jvms.AGENT;
    public static final String CLASSPATH = Jvms.CLASSPATH;

    private JvmRuns() {
    }

    /** What a JVM printed and how it ended. */
    public record Result(int exit, String out, String err) {
        /** The rest of the first stdout line that starts with {@code prefix}. */
        public String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(prefix.length()).trim())
                    .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Jvms.java()));
        command.addAll(List.of(args));
        Jvms.Run run = Jvms.run(command);
        return new Result(run.exit(), run.out(), run.err());
    }
}
