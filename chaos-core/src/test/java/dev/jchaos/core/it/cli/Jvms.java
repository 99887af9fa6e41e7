package dev.jchaos.core.it.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Forked JVMs for the command-line tests: targets driven over stdin, and the command line itself. */
final class Jvms {

    static final String AGENT = System.getProperty("jchaos.test.agentJar");
    static final String CLASSPATH = System.getProperty("jchaos.test.testClasses") + File.pathSeparator
            + System.getProperty("jchaos.test.annotationsJar");

    private Jvms() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /** What a run of the command line did. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code java -jar <agent jar> args...} as a user would. */
    static Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", AGENT));
        command.addAll(List.of(args));
        return run(command);
    }

    static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> text(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the command line did not finish within 120 s: " + command);
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    private static String text(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A target JVM whose stdout lines are queued and whose stdin takes commands. */
    static final class Target implements AutoCloseable {
        final Process process;
        final long pid;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
        private final StringBuffer stderr = new StringBuffer();
        private final Writer in;

        Target(List<String> jvmArgs, String mainClass, String... args) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(java());
            command.addAll(jvmArgs);
            command.addAll(List.of("-cp", CLASSPATH, mainClass));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)), line -> {
                        history.add(line);
                        lines.add(line);
                    }), "test-target-out");
            reader.setDaemon(true);
            reader.start();
            Thread errors = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8)), line -> stderr.append(line).append('\n')), "test-target-err");
            errors.setDaemon(true);
            errors.start();
            String ready = expect("ready ", Duration.ofSeconds(60));
            pid = Long.parseLong(ready.substring("ready ".length()).trim());
        }

        private static void pump(BufferedReader r, java.util.function.Consumer<String> sink) {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        void send(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
        }

        /** The next stdout line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
        String expect(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError("no line starting with '" + prefix + "' within " + timeout
                            + "; stderr:\n" + stderr);
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        /** Milliseconds one call of the fixture's work took, as it measured. */
        long timeWork() throws Exception {
            send("time");
            return Long.parseLong(expect("took ", Duration.ofSeconds(30)).substring(5).trim());
        }

        /** Every stdout line so far. */
        List<String> history() {
            synchronized (history) {
                return new ArrayList<>(history);
            }
        }

        String stderr() {
            return stderr.toString();
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            assertThat(process.isAlive()).isFalse();
        }
    }
}
