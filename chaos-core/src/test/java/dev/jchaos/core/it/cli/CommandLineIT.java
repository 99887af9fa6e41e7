package dev.jchaos.core.it.cli;

import dev.jchaos.core.it.fixtures.PlainMain;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jchaos.core.it.cli.Jvms.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The agent jar as a command line, run as an operator runs it ({@code java -jar <agent jar> ...}), against plain
 * JVMs started without any jchaos flag.
 */
class CommandLineIT {

    private static final String WORK = PlainMain.class.getName() + "#work";

    @Test
    void plainJvmIsAttachedDelayedDumpedAndReleasedFromTheCommandLine() throws Exception {
        try (Jvms.Target target = new Jvms.Target(List.of(), PlainMain.class.getName())) {
            String pid = Long.toString(target.pid);
            Jvms.Run list = cli("list");
            assertThat(list.exit()).as("%s", list).isZero();
            assertThat(list.out()).containsPattern("(?m)^" + pid + " +- +" + PlainMain.class.getName() + "$");

            Jvms.Run attach = cli("attach", pid);
            assertThat(attach.exit()).as("%s", attach).isZero();
            assertThat(attach.out()).isEqualTo("pid " + pid + ": jchaos 0.1.0-SNAPSHOT loaded; thread start sites "
                    + "are recorded from now on\n");
            assertThat(cli("attach", pid).out()).startsWith("pid " + pid + ": jchaos already loaded; thread start "
                    + "sites recorded since 20");
            assertThat(cli("list").out()).containsPattern("(?m)^" + pid + " +0\\.1\\.0-SNAPSHOT +");

            assertThat(target.timeWork()).isLessThan(100);
            Jvms.Run activate = cli("activate", pid, WORK, "delay(200ms)");
            assertThat(activate.exit()).as("%s", activate).isZero();
            assertThat(activate.out()).isEqualTo("pid " + pid + ": Enabled=true, active [" + WORK + "=delay(200ms)]\n");
            assertThat(target.timeWork()).isBetween(195L, 3_000L);

            Jvms.Run bad = cli("activate", pid, WORK, "delay(2x)");
            assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
            assertThat(bad.err()).contains("unknown unit 'x'").contains("column 8").contains("nothing was changed");
            Jvms.Run status = cli("status", pid);
            assertThat(status.exit()).as("%s", status).isZero();
            assertThat(status.out()).startsWith("pid " + pid + ": Enabled=true Seed=")
                    .contains("active [" + WORK + "=delay(200ms)]")
                    .containsPattern("\n  " + WORK.replace("$", "\\$") + "  delay\\(200ms\\)  calls=1 injections=1 "
                            + "inFlight=0");

            target.send("park 50");
            target.expect("parked 50", Duration.ofSeconds(30));
            Jvms.Run threads = cli("threads", pid);
            assertThat(threads.exit()).as("%s", threads).isZero();
            assertThat(threads.out()).startsWith("pid " + pid + ": ")
                    .containsPattern("(?m)^  50 @ WAITING  \\[parked-0, parked-1, parked-2, ")
                    .contains("java.util.concurrent.CountDownLatch.await(")
                    .contains("      started at " + PlainMain.class.getName() + ".startParked(PlainMain.java:");
            // the biggest group comes first
            assertThat(threads.out().lines().skip(1).findFirst().orElseThrow()).startsWith("  50 @ WAITING");
        }
    }

    @Test
    void offReleasesEveryHeldThreadAndDisableAndDeactivateDoWhatTheySay() throws Exception {
        try (Jvms.Target target = new Jvms.Target(List.of(), PlainMain.class.getName())) {
            String pid = Long.toString(target.pid);
            Jvms.Run hang = cli("activate", pid, WORK, "hang", "--ttl", "10m", "--halt-when", "inflight > 1000");
            assertThat(hang.exit()).as("%s", hang).isZero();
            assertThat(hang.out()).endsWith(", Ttl=10m, HaltWhen=inflight>1000\n")
                    .contains("jchaos 0.1.0-SNAPSHOT loaded; Enabled=true, active [" + WORK + "=hang]");
            target.send("call 20");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> cli("status", pid).out().contains("inFlight=20"));

            long start = System.nanoTime();
            Jvms.Run off = cli("off", pid);
            assertThat(off.exit()).as("%s", off).isZero();
            assertThat(off.out()).startsWith("pid " + pid + ": kill switch pulled").contains("active []");
            for (int i = 0; i < 20; i++) {
                target.expect("back", Duration.ofSeconds(10));
            }
            System.out.println("[measured] off released 20 hung threads "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms after the command started");
            assertThat(cli("status", pid).out()).contains("active []").doesNotContain("inFlight=2");

            assertThat(cli("disable", pid).out()).isEqualTo("pid " + pid + ": Enabled=false\n");
            assertThat(cli("enable", pid).out()).isEqualTo("pid " + pid + ": Enabled=true\n");
            // the ttl and halt condition of the first activate still hold: every later activate says so
            assertThat(cli("activate", pid, WORK, "delay(1ms)").out()).endsWith(", Ttl=10m, HaltWhen=inflight>1000\n");
            assertThat(cli("activate", pid, WORK, "delay(1ms)", "--ttl", "none").out())
                    .contains(", Ttl=none, HaltWhen=inflight>1000");
            // while disabled nothing is active, and status says the activations wait for enable
            cli("disable", pid);
            assertThat(cli("status", pid).out()).contains("Enabled=false")
                    .contains("active [] (disabled; kept until enable: [" + WORK + "=delay(1ms)])");
            assertThat(cli("enable", pid).out()).isEqualTo("pid " + pid + ": Enabled=true\n");
            // a pattern that decides no point is taken (a class may load later), with a note
            Jvms.Run typo = cli("activate", pid, "x.Nope#work", "delay(1ms)");
            assertThat(typo.exit()).as("%s", typo).isZero();
            assertThat(typo.out()).contains("\n  note: 'x.Nope#work' matches no point of this JVM yet");
            cli("deactivate", pid, "x.Nope#work");
            assertThat(cli("deactivate", pid, PlainMain.class.getName() + "#*").out())
                    .isEqualTo("pid " + pid + ": active []\n");
            Jvms.Run refused = cli("activate", pid, PlainMain.class.getName() + "#nothing", "delay(1ms)");
            assertThat(refused.exit()).as("%s", refused).isEqualTo(2);
            assertThat(refused.err()).contains("refused, nothing was changed").contains("nothing");
        }
    }

    @Test
    void commandsOtherThanAttachAndActivateDoNotLoadJchaos() throws Exception {
        try (Jvms.Target target = new Jvms.Target(List.of(), PlainMain.class.getName())) {
            String pid = Long.toString(target.pid);
            Jvms.Run status = cli("status", pid);
            assertThat(status.exit()).as("%s", status).isEqualTo(1);
            assertThat(status.err()).contains("jchaos is not loaded there: run attach " + pid + " first");
            target.send("park 3");
            target.expect("parked 3", Duration.ofSeconds(30));
            Jvms.Run threads = cli("threads", pid);
            assertThat(threads.exit()).as("%s", threads).isZero();
            assertThat(threads.out()).contains("start sites not recorded (jchaos is not loaded there")
                    .contains("  3 @ WAITING  [parked-0, parked-1, parked-2]");
            // the target runs on this JDK: from 21 on it may have virtual threads, which JMX does not list
            if (Runtime.version().feature() >= 21) {
                assertThat(threads.out()).contains("; virtual threads not listed (JMX lists platform threads only: "
                        + "attach to include them)");
            } else {
                assertThat(threads.out()).doesNotContain("virtual threads");
            }
            assertThat(cli("list").out()).containsPattern("(?m)^" + pid + " +- +");
        }
    }

    @Test
    void attachOnAJvmStartedWithTheAgentStartsRecordingThreadStartSites() throws Exception {
        try (Jvms.Target target = new Jvms.Target(List.of("-javaagent:" + Jvms.AGENT), PlainMain.class.getName())) {
            String pid = Long.toString(target.pid);
            target.send("park 2");
            target.expect("parked 2", Duration.ofSeconds(30));
            assertThat(cli("threads", pid).out()).contains("start sites not recorded");
            Jvms.Run attach = cli("attach", pid);
            assertThat(attach.exit()).as("%s", attach).isZero();
            assertThat(attach.out()).isEqualTo("pid " + pid + ": jchaos already loaded; thread start sites are "
                    + "recorded from now on\n");
            target.send("park 3");
            target.expect("parked 3", Duration.ofSeconds(30));
            assertThat(cli("threads", pid).out())
                    .contains("      started at " + PlainMain.class.getName() + ".startParked(PlainMain.java:");
            assertThat(cli("attach", pid).out()).contains("jchaos already loaded; thread start sites recorded since");
            // the second load changed nothing else: one controller, one MBean, points still work
            assertThat(cli("activate", pid, WORK, "delay(200ms)").exit()).isZero();
            assertThat(target.timeWork()).isBetween(195L, 3_000L);
            assertThat(target.stderr()).doesNotContain("another copy of jchaos");
        }
    }

    @Test
    void attachSaysWhenTheJvmsOwnJchaosPropertiesWereRefused() throws Exception {
        try (Jvms.Target target = new Jvms.Target(List.of("-Djchaos.points=x.Y#work=delay(2x00ms)"),
                PlainMain.class.getName())) {
            String pid = Long.toString(target.pid);
            Jvms.Run attach = cli("attach", pid);
            assertThat(attach.exit()).as("%s", attach).isZero();
            assertThat(attach.err()).startsWith("pid " + pid + ": warning: jchaos there refused that JVM's jchaos.* "
                    + "system properties and applied none of them: jchaos.points: unknown unit 'x'");
            assertThat(cli("attach", pid).err()).isEmpty(); // said once, by the command that loaded it
        }
    }

    @Test
    void goneAndNonJavaPidsExitWith1SayingWhyAndNoProcessIsSignalled() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor(10, TimeUnit.SECONDS);
        Jvms.Run gone = cli("status", Long.toString(ended.pid()));
        assertThat(gone.exit()).as("%s", gone).isEqualTo(1);
        assertThat(gone.err()).contains("pid " + ended.pid() + ": no such process");

        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            long start = System.nanoTime();
            Jvms.Run notJava = cli("attach", Long.toString(sleeper.pid()));
            assertThat(notJava.exit()).as("%s", notJava).isEqualTo(1);
            assertThat(notJava.err()).contains("is not a Java virtual machine");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(sleeper.isAlive()).as("the attach signal would have ended it").isTrue();
        } finally {
            sleeper.destroy();
        }
    }

    @Test
    void jvmThatForbidsAttachingIsToldToStartWithJavaagent() throws Exception {
        try (Jvms.Target target = new Jvms.Target(List.of("-XX:+DisableAttachMechanism"), PlainMain.class.getName())) {
            Jvms.Run attach = cli("activate", Long.toString(target.pid), WORK, "delay(200ms)");
            assertThat(attach.exit()).as("%s", attach).isEqualTo(1);
            assertThat(attach.err()).contains("-XX:+DisableAttachMechanism").contains("restart it with -javaagent:")
                    .contains("agent.jar");
            assertThat(target.timeWork()).isLessThan(100);
            // the attach API does not list it; list still shows it, and how to operate it
            assertThat(cli("list").out()).containsPattern("(?m)^" + target.pid + " +no-attach +"
                    + PlainMain.class.getName().replace(".", "\\.") + "  \\(-XX:\\+DisableAttachMechanism: start it "
                    + "with -javaagent to operate it\\)$");
        }
    }

    @Test
    void anotherUsersJvmIsNamedWithItsOwner() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run the command line as nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        try (Jvms.Target target = new Jvms.Target(List.of(), PlainMain.class.getName())) {
            Jvms.Run asNobody = Jvms.run(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", Jvms.java(), "-Duser.home=/tmp", "-jar", Jvms.AGENT, "attach",
                    Long.toString(target.pid)));
            assumeTrue(!asNobody.err().contains("Error: Unable to access jarfile")
                    && !asNobody.err().contains("Permission denied"), "the agent jar is not readable by nobody here");
            assertThat(asNobody.exit()).as("%s", asNobody).isEqualTo(1);
            assertThat(asNobody.err()).contains("belongs to user root").contains("run the command as root");
            assertThat(target.timeWork()).isLessThan(100);
        }
    }
}
