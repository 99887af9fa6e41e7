package dev.jchaos.core.it;

import com.sun.tools.attach.VirtualMachine;
import dev.jchaos.core.it.fixtures.ChainedBuilder;
import dev.jchaos.core.it.fixtures.DormantMain;
import dev.jchaos.core.it.fixtures.JfrMain;
import dev.jchaos.core.it.fixtures.MBeanAtStartMain;
import dev.jchaos.core.it.fixtures.OneControllerMain;
import dev.jchaos.core.it.fixtures.PropertyMain;
import dev.jchaos.core.it.fixtures.ServiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The real agent jar in forked JVMs: {@code -javaagent}, system properties, attach by pid and JMX. */
class ForkedAgentIT {

    private static final String AGENT = System.getProperty("jchaos.test.agentJar");
    private static final String CORE = AGENT.replace("-agent.jar", ".jar");
    private static final String CLASSPATH = System.getProperty("jchaos.test.testClasses") + File.pathSeparator
            + System.getProperty("jchaos.test.annotationsJar");

    record Result(int exit, List<String> out, List<String> err) {
        List<Long> numbers(String prefix) {
            List<Long> result = new ArrayList<>();
            for (String line : out) {
                if (line.startsWith(prefix + " ")) {
                    result.add(Long.parseLong(line.substring(prefix.length() + 1).trim()));
                }
            }
            return result;
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> lines(p.getInputStream()));
        CompletableFuture<List<String>> err = CompletableFuture.supplyAsync(() -> lines(p.getErrorStream()));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("forked JVM finished").isTrue();
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static List<String> lines(java.io.InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> jvm(String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void pointsPropertyDelaysTheDeclaredMethod() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Djchaos.enabled=true", "-Djchaos.points=fixture.work=delay(200ms)",
                "-cp", CLASSPATH, PropertyMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.numbers("took")).hasSize(3).allSatisfy(ms -> assertThat(ms).isBetween(195L, 1_000L));
        assertThat(r.numbers("plain")).allSatisfy(ms -> assertThat(ms).isLessThan(100L));
    }

    @Test
    void mainFindsTheMBeanAtOnceAndDrivesIt() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-cp", CLASSPATH, MBeanAtStartMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.out()).doesNotContain("absent");
        assertThat(r.numbers("took")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 2_000L));
        assertThat(r.out()).contains("point fixture.work calls=1");
    }

    @Test
    void mbeanIsThereWhenTheJmxAgentCreatedTheServerFirst() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Dcom.sun.management.jmxremote.port=0",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-cp", CLASSPATH, MBeanAtStartMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.numbers("took")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 2_000L));
    }

    @Test
    void applicationsOwnMBeanServerBuilderIsChained() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Djavax.management.builder.initial=" + ChainedBuilder.class.getName(),
                "-cp", CLASSPATH, MBeanAtStartMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.numbers("took")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 2_000L));
        assertThat(r.out()).contains("chained yes");
    }

    @Test
    void jmxOffRegistersNothing() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Djchaos.jmx=false", "-cp", CLASSPATH,
                MBeanAtStartMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.out()).containsExactly("absent");
    }

    /**
     * An injection asks Flight Recorder nothing until something else starts it: JFR's Java side takes ~200 ms to start,
     * and that used to land on the first delayed call of the JVM.
     */
    @Test
    void injectionsLeaveFlightRecorderAloneAndAreRecordedOnceARecordingStarts() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Xlog:class+load=info:stdout", "-Djchaos.enabled=true",
                "-Djchaos.points=fixture.work=delay(50ms)", "-cp", CLASSPATH, JfrMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.numbers("took")).hasSize(3).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(49L));
        int before = r.out().indexOf("recorder not started");
        assertThat(before).as("the fixture's report with the recorder not started: %s", r.out()).isPositive();
        assertThat(r.out().subList(0, before)).as("JFR's own classes loaded by the injections")
                .noneMatch(line -> line.contains(" jdk.jfr.internal."));
        assertThat(r.numbers("events")).containsExactly(2L);
    }

    /**
     * Started with the agent and nothing to do, jchaos hands no class to a transformer (its class filter never runs,
     * its ASM never loads) until chaos is used; then the points of classes loaded before are found and woven, every
     * lister sees them, and a class loading later is woven as it loads.
     */
    @Test
    void aDormantAgentSeesNoClassUntilChaosIsUsed() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Xlog:class+load=info:stdout", "-cp", CLASSPATH,
                DormantMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        int marker = -1;
        for (int i = 0; i < r.out().size() && marker < 0; i++) {
            marker = r.out().get(i).startsWith("using chaos ") ? i : -1;
        }
        assertThat(marker).as("the fixture's marker in %s", r.out()).isPositive();
        List<String> before = r.out().subList(0, marker);
        assertThat(before).as("the early class ran before chaos was used")
                .anyMatch(line -> line.contains(DormantMain.Early.class.getName() + " "));
        assertThat(before).as("jchaos's class filter and its ASM, before chaos was used")
                .noneMatch(line -> line.contains("dev.jchaos.core.internal.agent.PoolScan ")
                        || line.contains(".jar.asm."));
        assertThat(r.out().subList(marker, r.out().size())).as("weaving once chaos is used")
                .anyMatch(line -> line.contains("dev.jchaos.core.internal.agent.PoolScan "))
                .anyMatch(line -> line.contains(".jar.asm.ClassReader "));
        assertThat(r.numbers("seen")).as("both first listers waited for the search").containsExactly(1L, 1L);
        assertThat(r.numbers("early")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 1_000L));
        assertThat(r.numbers("late")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 1_000L));
        assertThat(r.out()).contains("point fixture.dormant.early", "point fixture.dormant.late");
    }

    @Test
    void withoutPointsNothingIsDelayed() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Djchaos.enabled=true", "-cp", CLASSPATH,
                PropertyMain.class.getName()));
        assertThat(r.exit()).isZero();
        assertThat(r.numbers("took")).hasSize(3).allSatisfy(ms -> assertThat(ms).isLessThan(150L));
        assertThat(r.err()).noneMatch(line -> line.startsWith("[jchaos]"));
    }

    @Test
    void malformedPointsLeaveTheProgramRunningUndelayedWithOneLine() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-Djchaos.enabled=true", "-Djchaos.points=fixture.work=delay(2x00ms)",
                "-cp", CLASSPATH, PropertyMain.class.getName()));
        assertThat(r.exit()).isZero();
        assertThat(r.numbers("took")).hasSize(3).allSatisfy(ms -> assertThat(ms).isLessThan(150L));
        List<String> ours = r.err().stream().filter(line -> line.startsWith("[jchaos]")).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0)).contains("fixture.work=delay(2x00ms)").contains("jchaos.points");
    }

    @Test
    void agentJarAndChaosCoreOnTheClassPathMakeOneController() throws Exception {
        Result r = run(jvm("-javaagent:" + AGENT, "-cp", CLASSPATH + File.pathSeparator + CORE,
                OneControllerMain.class.getName()));
        assertThat(r.exit()).as(r.err().toString()).isZero();
        assertThat(r.numbers("took")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 2_000L));
        assertThat(r.out()).contains("mbean fixture.work=delay(150ms)");
        assertThat(r.numbers("plain")).singleElement().satisfies(ms -> assertThat(ms).isBetween(145L, 2_000L));
    }

    @Test
    void operatorAttachesByPidHangs200ThreadsAndReleasesThemAtOnce() throws Exception {
        Process service = new ProcessBuilder(jvm("-cp", CLASSPATH, ServiceMain.class.getName(), "200"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertThat(ready).startsWith("ready ");
            CompletableFuture.runAsync(() -> lines(service.getInputStream()));
            VirtualMachine vm = VirtualMachine.attach(ready.substring("ready ".length()));
            String address;
            try {
                vm.loadAgent(AGENT);
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("dev.jchaos:type=ChaosController");
                assertThat(jmx.isRegistered(name)).as("registered when agentmain returned").isTrue();
                jmx.setAttribute(name, new Attribute("Enabled", true));
                jmx.invoke(name, "activate", new Object[] {"fixture.work", "hang"},
                        new String[] {String.class.getName(), String.class.getName()});
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (inFlight(jmx, name) < 200) {
                    assertThat(System.nanoTime()).as("200 threads held").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                long start = System.nanoTime();
                jmx.invoke(name, "deactivateAll", new Object[0], new String[0]);
                while (inFlight(jmx, name) > 0) {
                    assertThat(System.nanoTime() - start).as("released").isLessThan(TimeUnit.SECONDS.toNanos(10));
                }
                long releasedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.println("[measured] 200 hung threads released " + releasedMs + " ms after deactivateAll");
                assertThat(releasedMs).isLessThan(1_000L);
            }
        } finally {
            service.getOutputStream().close();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void attachToAServiceThatAlreadyUsesJmxRegistersBeforeAgentmainReturns() throws Exception {
        Process service = new ProcessBuilder(jvm("-cp", CLASSPATH, ServiceMain.class.getName(), "1", "jmx"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertThat(ready).startsWith("ready ");
            CompletableFuture.runAsync(() -> lines(service.getInputStream()));
            VirtualMachine vm = VirtualMachine.attach(ready.substring("ready ".length()));
            String address;
            try {
                vm.loadAgent(AGENT);
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                assertThat(connector.getMBeanServerConnection()
                        .isRegistered(new ObjectName("dev.jchaos:type=ChaosController"))).isTrue();
            }
        } finally {
            service.getOutputStream().close();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void readOnlyJmxRoleReadsPointsButCannotChangeAnything(@TempDir Path dir) throws Exception {
        Path passwords = dir.resolve("jmxremote.password");
        Files.writeString(passwords, "monitor m0nitor\noperator 0perator\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("jmxremote.access");
        Files.writeString(access, "monitor readonly\noperator readwrite\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process service = new ProcessBuilder(jvm("-javaagent:" + AGENT,
                "-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=true", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.password.file=" + passwords,
                "-Dcom.sun.management.jmxremote.access.file=" + access,
                "-cp", CLASSPATH, ServiceMain.class.getName(), "1"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith("ready ");
            CompletableFuture.runAsync(() -> lines(service.getInputStream()));
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            ObjectName name = new ObjectName("dev.jchaos:type=ChaosController");
            String[] signature = {String.class.getName(), String.class.getName()};
            try (JMXConnector monitor = JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "m0nitor"}))) {
                MBeanServerConnection jmx = monitor.getMBeanServerConnection();
                // the service's worker weaves the point when it first loads its class
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat((CompositeData[]) jmx.getAttribute(name, "Points"))
                                .anySatisfy(p -> assertThat(p.get("id")).isEqualTo("fixture.work")));
                assertThatThrownBy(() -> jmx.invoke(name, "activate", new Object[] {"fixture.work", "hang"}, signature))
                        .isInstanceOf(SecurityException.class);
                assertThatThrownBy(() -> jmx.setAttribute(name, new Attribute("Enabled", true)))
                        .isInstanceOf(SecurityException.class);
                assertThat((String[]) jmx.getAttribute(name, "Activations")).isEmpty();
            }
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "wrong"})))
                    .isInstanceOf(SecurityException.class);
            try (JMXConnector operator = JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "0perator"}))) {
                MBeanServerConnection jmx = operator.getMBeanServerConnection();
                jmx.invoke(name, "activate", new Object[] {"fixture.work", "delay(1ms)"}, signature);
                assertThat((String[]) jmx.getAttribute(name, "Activations")).containsExactly("fixture.work=delay(1ms)");
            }
        } finally {
            service.getOutputStream().close();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    private static int inFlight(MBeanServerConnection jmx, ObjectName name) throws Exception {
        int sum = 0;
        for (CompositeData point : (CompositeData[]) jmx.getAttribute(name, "Points")) {
            if ("fixture.work".equals(point.get("id"))) {
                sum += (Integer) point.get("inFlight");
            }
        }
        return sum;
    }
}
