package dev.jchaos.core.internal.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad usage and bad input are refused with exit status 2 before any JVM is touched. */
class CliUsageTest {

    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = Cli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void helpIsPrintedOnHelpWithStatus0AndOnBadUsageWithStatus2() {
        assertThat(run("--help")).isZero();
        assertThat(out).startsWith("usage: java -jar chaos-core-<version>-agent.jar <command>").contains("threads <pid>")
                .contains("--jolokia URL[,URL...]").contains("exit status: 0 done; 1");
        assertThat(run("activate", "--help")).isZero();
        assertThat(run()).isEqualTo(2);
        assertThat(err).startsWith("error: no command given").contains("usage: ");
        assertThat(run("frob", "1")).isEqualTo(2);
        assertThat(err).startsWith("error: unknown command 'frob'");
    }

    @Test
    void targetsAndArgumentsAreCheckedFirst() {
        assertThat(run("status")).isEqualTo(2);
        assertThat(err).startsWith("error: status needs a pid or --jolokia URL[,URL...]");
        assertThat(run("status", "me")).isEqualTo(2);
        assertThat(err).startsWith("error: 'me' is not a pid");
        assertThat(run("activate", "1", "a.B#c")).isEqualTo(2);
        assertThat(err).startsWith("error: activate takes 2 arguments after the target but got 1: [a.B#c]");
        assertThat(run("status", "1", "--ttl", "5s")).isEqualTo(2);
        assertThat(err).startsWith("error: --ttl goes with activate only");
        assertThat(run("attach", "--jolokia", "http://127.0.0.1:1/jolokia")).isEqualTo(2);
        assertThat(err).startsWith("error: attach needs a pid: Jolokia cannot load an agent");
        assertThat(run("status", "--jolokia", "127.0.0.1:8778")).isEqualTo(2);
        assertThat(err).startsWith("error: --jolokia: '127.0.0.1:8778' is not a Jolokia URL");
        assertThat(run("status", "1", "--verbose")).isEqualTo(2);
        assertThat(err).startsWith("error: unknown option '--verbose'");
        assertThat(run("list", "1")).isEqualTo(2);
        assertThat(run("status", "0")).isEqualTo(2);
        assertThat(err).startsWith("error: '0' is not a pid");
        for (String urls : new String[] {",", ",,", "http://127.0.0.1:1/jolokia,", " "}) {
            assertThat(run("status", "--jolokia", urls)).as(urls).isEqualTo(2);
            assertThat(err).startsWith("error: --jolokia: an empty URL in '" + urls + "'");
        }
    }

    @Test
    void aRuntimeWithoutTheModulesItNeedsIsNamedNotATrace() {
        assertThat(Cli.missingModule("com/sun/tools/attach/VirtualMachine"))
                .startsWith("this Java runtime has no jdk.attach module").contains("--jolokia");
        assertThat(Cli.missingModule("java/net/http/HttpTimeoutException"))
                .startsWith("this Java runtime has no java.net.http module, which --jolokia needs");
    }

    @Test
    void ttlNoneRemovesTheTtl() {
        Cli.Command c = Cli.Command.parse(new String[] {"activate", "1", "a.B#c", "delay(1ms)", "--ttl", "none"});
        c.validate();
        assertThat(c.ttl).isEmpty();
    }

    @Test
    void malformedInputIsRefusedWithTheColumnBeforeAnyJvmIsReached() {
        // input is checked before pid 1 is reached: reaching it would exit 1, not 2
        assertThat(run("activate", "1", "a.B#c", "25%delay(abc)")).isEqualTo(2);
        assertThat(err).isEqualTo(String.join("\n",
                "error: nothing was changed: activate: expected a duration such as 50ms at column 10 of "
                        + "\"25%delay(abc)\"",
                "  25%delay(abc)",
                "           ^",
                ""));
        assertThat(run("activate", "1", "a b", "delay(1ms)")).isEqualTo(2);
        assertThat(err).contains("activate: ").contains("\"a b\"");
        assertThat(run("activate", "1", "a.B#c", "delay(1ms)", "--ttl", "soon")).isEqualTo(2);
        assertThat(err).contains("--ttl: ").contains("\"soon\"");
        assertThat(run("activate", "1", "a.B#c", "delay(1ms)", "--halt-when", "threads>5")).isEqualTo(2);
        assertThat(err).contains("--halt-when: unknown metric 'threads'").contains("column 1");
        assertThat(run("deactivate", "1", "a b")).isEqualTo(2);
        assertThat(run("activate", "1", "a.B#c", "delay(1ms)", "--ttl", "0s")).isEqualTo(2);
        assertThat(err).contains("--ttl: must be longer than zero (none removes it)");
    }
}
