package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.Controllers;
import dev.jchaos.core.internal.HubLink;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code Chaos.installAgent()}: attaches a minimal hand-off agent to this very JVM (through a helper process, since a
 * JVM may not attach to itself by default), which leaves the instrumentation in the hub under a one-time token that
 * only this caller knows; then starts weaving in the caller's copy of jchaos. The token travels over the helper's
 * standard input, never a command line, and the instrumentation is never reachable from a public field.
 */
public final class SelfAttach {

    private static final long HELPER_TIMEOUT_SECONDS = 60;
    private static final String[] HANDOFF_CLASSES = {
        "dev.jchaos.core.internal.agent.JChaosAgent", "dev.jchaos.core.internal.agent.HubInstaller",
        "dev.jchaos.core.internal.agent.HubInstaller$SingleClassLoader",
        "dev.jchaos.core.internal.agent.BootDefiner", "dev.jchaos.core.internal.agent.AttachMain"};

    private SelfAttach() {
    }

    public static void install() {
        String token = HexFormat.of().formatHex(random());
        File jar;
        try {
            jar = handOffJar();
        } catch (IOException e) {
            throw new IllegalStateException("could not write the jchaos hand-off agent jar: " + e + advice(), e);
        }
        attach(jar, JChaosAgent.HANDOFF + token);
        HubLink hub = HubLink.find();
        Instrumentation inst = hub == null ? null : hub.take(token);
        if (inst == null) {
            if (Controllers.agentPresent()) {
                return; // another copy attached meanwhile: it is the controller
            }
            throw new IllegalStateException("the jchaos agent attached but did not start" + advice());
        }
        AgentStart.start(inst, false);
    }

    private static byte[] random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void attach(File jar, String argument) {
        String pid = String.valueOf(ProcessHandle.current().pid());
        if (Boolean.getBoolean("jdk.attach.allowAttachSelf")) {
            try {
                com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(pid);
                try {
                    vm.loadAgent(jar.getAbsolutePath(), argument);
                } finally {
                    vm.detach();
                }
                return;
            } catch (Exception | LinkageError e) {
                // fall back to the helper process
            }
        }
        List<String> command = new ArrayList<>();
        command.add(javaLauncher());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(jar.getAbsolutePath());
        command.add(AttachMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // the helper must not pick up an agent or options meant for the application
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        String failure;
        try {
            Process helper = builder.start();
            try (Writer in = new OutputStreamWriter(helper.getOutputStream(), StandardCharsets.UTF_8)) {
                in.write(pid + "\n" + jar.getAbsolutePath() + "\n" + argument + "\n");
            }
            byte[] err;
            try (InputStream stderr = helper.getErrorStream()) {
                err = stderr.readAllBytes();
            }
            if (!helper.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                helper.destroyForcibly();
                failure = "the attach helper did not finish within " + HELPER_TIMEOUT_SECONDS + " s";
            } else if (helper.exitValue() == 0) {
                return;
            } else {
                failure = new String(err, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            failure = "could not start the attach helper: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while attaching";
        }
        throw new IllegalStateException("this JVM does not allow the jchaos agent to attach (" + failure + ")"
                + advice());
    }

    private static String javaLauncher() {
        Path own = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(own) ? own.toString()
                : ProcessHandle.current().info().command().orElse(own.toString());
    }

    private static String advice() {
        return ". Start the JVM with -javaagent:" + agentJarHint();
    }

    /** Where the agent jar is, as well as this copy can tell. */
    static String agentJarHint() {
        CodeSource source = SelfAttach.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                File f = new File(source.getLocation().toURI());
                if (f.isFile()) {
                    return f.getAbsolutePath();
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through to the generic hint
            }
        }
        return "chaos-core-<version>-agent.jar (chaos-core's agent classifier jar)";
    }

    /** A jar with only the agent entry point, the bootstrap classes and their installer, and the attach helper. */
    private static File handOffJar() throws IOException {
        Path jar = Files.createTempFile("jchaos-attach-", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Agent-Class", JChaosAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        main.putValue("Can-Redefine-Classes", "true");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest)) {
            for (String name : HANDOFF_CLASSES) {
                String resource = name.replace('.', '/') + ".class";
                put(jos, resource, HubInstaller.bytes(resource));
            }
            for (String name : new String[] {HubInstaller.HUB, HubInstaller.JMX_HOOK}) {
                put(jos, name.replace('.', '/') + HubInstaller.RESOURCE_SUFFIX, HubInstaller.bootBytes(name));
            }
        }
        return jar.toFile();
    }

    private static void put(JarOutputStream jos, String resource, byte[] bytes) throws IOException {
        jos.putNextEntry(new JarEntry(resource));
        jos.write(bytes);
        jos.closeEntry();
    }
}
