package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.HubLink;
import net.bytebuddy.agent.ByteBuddyAgent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code Chaos.installAgent()}: attaches a minimal hand-off agent to this very JVM (through a helper process when
 * the JVM forbids attaching to itself, as it does by default), then starts weaving in the caller's copy of jchaos.
 */
public final class SelfAttach {

    private SelfAttach() {
    }

    public static void install() {
        HubLink hub = HubLink.find();
        if (hub == null || hub.instrumentation() == null) {
            File jar;
            try {
                jar = handOffJar();
            } catch (IOException e) {
                throw new IllegalStateException("could not write the jchaos hand-off agent jar: " + e
                        + advice(), e);
            }
            try {
                ByteBuddyAgent.attach(jar, String.valueOf(ProcessHandle.current().pid()), JChaosAgent.HANDOFF);
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException("this JVM does not allow the jchaos agent to attach (" + e + ")"
                        + advice(), e);
            }
            hub = HubLink.find();
            if (hub == null || hub.instrumentation() == null) {
                throw new IllegalStateException("the jchaos agent attached but did not start" + advice());
            }
        }
        Engine.get().attach(hub, Weaver::start, hub.instrumentation());
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

    /** A jar with only the agent entry point, the hub installer and the hub: whatever loader jchaos is in. */
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
            for (Class<?> c : new Class<?>[] {JChaosAgent.class, HubInstaller.class}) {
                copy(jos, c.getName().replace('.', '/') + ".class");
            }
            copy(jos, HubInstaller.HUB_RESOURCE);
        }
        return jar.toFile();
    }

    private static void copy(JarOutputStream jos, String resource) throws IOException {
        ClassLoader loader = SelfAttach.class.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing");
            }
            jos.putNextEntry(new JarEntry(resource));
            in.transferTo(jos);
            jos.closeEntry();
        }
    }
}
