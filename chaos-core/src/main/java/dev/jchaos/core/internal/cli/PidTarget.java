package dev.jchaos.core.internal.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.jchaos.core.internal.Engine;
import dev.jchaos.core.internal.agent.AgentStart;
import dev.jchaos.core.internal.threads.ThreadSites;
import dev.jchaos.core.threads.StackGroups;
import dev.jchaos.core.threads.ThreadSnapshot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A local JVM by pid: the attach API (to load the agent and start the JVM's local JMX agent, as jconsole does) and
 * then JMX over that local connector.
 */
final class PidTarget implements Target {

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    /** The jchaos version {@link #open} loaded, or null when it loaded nothing. */
    final String attachedVersion;
    /** Whether jchaos controls the JVM. */
    final boolean jchaos;
    /** For {@link Need#ATTACH}: since when (epoch ms) thread start sites are recorded there, or null for not. */
    String sitesSince;
    /** For {@link Need#ATTACH}: whether this command started recording them. */
    boolean sitesStartedNow;
    /** For {@link Need#ATTACH}: why recording could not be asked for, or null. */
    String sitesProblem;
    /** When this command loaded jchaos and it refused that JVM's {@code jchaos.*} properties: why, else null. */
    String settingsError;

    private PidTarget(long pid, JMXConnector connector, String attachedVersion, boolean jchaos) throws IOException {
        this.pid = pid;
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
        this.attachedVersion = attachedVersion;
        this.jchaos = jchaos;
    }

    /** What a command needs of the JVM. */
    enum Need {
        /** jchaos loaded, loading it if needed, and recording thread start sites. */
        ATTACH,
        /** jchaos loaded, loading it if needed. */
        LOAD,
        /** jchaos loaded already. */
        JCHAOS,
        /** just JMX. */
        JMX
    }

    /**
     * Attaches to {@code pid}, loads the agent from {@code agentJar} if jchaos is not there yet and {@code need}
     * says so, and connects to the JVM's local JMX agent.
     *
     * @throws Unreachable saying why the JVM cannot be operated
     */
    static PidTarget open(long pid, Need need, Path agentJar) {
        String name = "pid " + pid;
        VirtualMachine vm = attach(pid);
        try {
            String version = loadedVersion(vm);
            String attached = null;
            if (version == null && need == Need.JCHAOS) {
                throw new Unreachable(name + ": jchaos is not loaded there: run attach " + pid
                        + " first (activate attaches too)");
            }
            String sitesBefore = version == null ? null : property(vm, ThreadSites.RECORDING_PROPERTY);
            boolean load = (need == Need.LOAD || need == Need.ATTACH) && version == null;
            // jchaos there but not recording start sites (started with -javaagent): loading it again adds that
            boolean again = need == Need.ATTACH && version != null && sitesBefore == null;
            if ((load || again) && agentJar == null) {
                throw new Unreachable(name + ": cannot load jchaos: run the command line from the agent jar "
                        + "(java -jar chaos-core-<version>-agent.jar ...)");
            }
            String loadedSettingsError = null;
            String sitesProblem = null;
            if (again) {
                try {
                    vm.loadAgent(agentJar.toString(), AgentStart.THREAD_SITES);
                } catch (AgentLoadException | AgentInitializationException | IOException e) {
                    // jchaos is there all the same: attach stays idempotent, and says what it could not add
                    sitesProblem = "that JVM refused a second agent load (" + e.getMessage() + ")";
                }
            }
            if (load) {
                try {
                    vm.loadAgent(agentJar.toString(), AgentStart.THREAD_SITES);
                } catch (AgentLoadException | AgentInitializationException | IOException e) {
                    throw new Unreachable(name + ": the jchaos agent could not be loaded: " + e.getMessage(), e);
                }
                version = loadedVersion(vm);
                if (version == null) {
                    throw new Unreachable(name + ": the jchaos agent was loaded but did not start (its reason is on "
                            + "that JVM's stderr)");
                }
                attached = version;
                loadedSettingsError = property(vm, Engine.SETTINGS_ERROR_PROPERTY);
            }
            String sitesAfter = need == Need.ATTACH ? property(vm, ThreadSites.RECORDING_PROPERTY) : null;
            String address = vm.startLocalManagementAgent();
            JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            PidTarget target = new PidTarget(pid, connector, attached, version != null);
            target.sitesSince = sitesAfter;
            target.sitesStartedNow = sitesBefore == null && sitesAfter != null
                    && !sitesAfter.equals(ThreadSites.UNAVAILABLE);
            target.sitesProblem = sitesProblem;
            target.settingsError = loadedSettingsError;
            if (version != null && !target.mbeans.isRegistered(new ObjectName(CONTROLLER))) {
                target.close();
                throw new Unreachable(name + ": jchaos " + version + " runs there but its MBean is off "
                        + "(-Djchaos.jmx=false); nothing can be operated from outside");
            }
            return target;
        } catch (IOException | javax.management.MalformedObjectNameException e) {
            throw new Unreachable(name + ": cannot connect to its local JMX agent: " + e.getMessage(), e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** The jchaos version controlling the JVM, or null; read from its system properties. */
    private static String loadedVersion(VirtualMachine vm) {
        return property(vm, AgentStart.LOADED_PROPERTY);
    }

    private static String property(VirtualMachine vm, String key) {
        try {
            Properties props = vm.getSystemProperties();
            return props.getProperty(key);
        } catch (IOException e) {
            throw new Unreachable("pid " + vm.id() + ": cannot read its system properties: " + e.getMessage(), e);
        }
    }

    /** The jchaos version in {@code descriptor}'s JVM, {@code -} for none, {@code ?} when it cannot be asked. */
    static String probe(VirtualMachineDescriptor descriptor) {
        try {
            VirtualMachine vm = VirtualMachine.attach(descriptor);
            try {
                String version = vm.getSystemProperties().getProperty(AgentStart.LOADED_PROPERTY);
                return version == null ? "-" : version;
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * Attaches, after checking that {@code pid} is a JVM that can be attached to: the attach API signals its
     * target, which would end a process that is not a JVM.
     */
    private static VirtualMachine attach(long pid) {
        String name = "pid " + pid;
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new Unreachable(name + ": no such process (it may have ended)");
        }
        boolean listed = false;
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(Long.toString(pid))) {
                listed = true;
            }
        }
        if (!listed) {
            refuseUnlisted(pid, process.get());
        }
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            String why = e.getMessage();
            if (why != null && why.contains("Permission denied")) {
                throw new Unreachable(name + ": permission denied: run the command line as the user of that JVM"
                        + owner(process.get()).map(u -> " (" + u + ")").orElse(""), e);
            }
            throw new Unreachable(name + ": cannot attach: " + why, e);
        }
    }

    /** Says why a live process is not among the attachable JVMs, or lets the attach go on when nothing explains it. */
    private static void refuseUnlisted(long pid, ProcessHandle process) {
        String name = "pid " + pid;
        Optional<String> owner = owner(process);
        String me = System.getProperty("user.name");
        if (owner.isPresent() && !owner.get().equals(me) && !me.equals("root")) {
            throw new Unreachable(name + " belongs to user " + owner.get() + ", and a JVM accepts attach only from "
                    + "its own user (or root): run the command as " + owner.get() + ", e.g. sudo -u " + owner.get()
                    + " java -jar <agent jar> ...");
        }
        String cmdline = read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        String environ = read(Path.of("/proc", Long.toString(pid), "environ")).replace('\0', ' ');
        if (cmdline.contains("-XX:+DisableAttachMechanism") || environ.contains("-XX:+DisableAttachMechanism")) {
            throw new Unreachable(name + " was started with -XX:+DisableAttachMechanism, so nothing can attach to it: "
                    + "restart it with -javaagent:" + Cli.agentJarHint() + " (and -Djchaos.* properties) instead");
        }
        String command = process.info().command().orElse(cmdline.isBlank() ? "" : cmdline.split(" ")[0]);
        boolean java = command.endsWith("/java") || command.equals("java") || cmdline.startsWith("java ")
                || Files.exists(Path.of("/tmp", "hsperfdata_" + owner.orElse(me), Long.toString(pid)));
        if (!java) {
            throw new Unreachable(name + " is not a Java virtual machine"
                    + (command.isEmpty() ? "" : " (" + command + ")") + "; `list` shows the local JVMs");
        }
        // a JVM started with -XX:-UsePerfData is not listed but can be attached to
    }

    private static Optional<String> owner(ProcessHandle process) {
        return process.info().user();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public String name() {
        return "pid " + pid;
    }

    @Override
    public Map<String, Object> read(List<String> attributes) {
        try {
            AttributeList values = mbeans.getAttributes(new ObjectName(CONTROLLER), attributes.toArray(new String[0]));
            Map<String, Object> result = new LinkedHashMap<>();
            for (Attribute a : values.asList()) {
                result.put(a.getName(), shown(a.getValue()));
            }
            return result;
        } catch (InstanceNotFoundException e) {
            throw new Unreachable(name() + ": the jchaos MBean is gone (did the JVM unload it?)", e);
        } catch (IOException | ReflectionException | javax.management.MalformedObjectNameException e) {
            throw new Unreachable(name() + ": JMX read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String attribute, Object value) {
        try {
            mbeans.setAttribute(new ObjectName(CONTROLLER), new Attribute(attribute, value));
        } catch (RuntimeMBeanException | MBeanException e) {
            throw refused(e);
        } catch (IOException | javax.management.JMException e) {
            throw new Unreachable(name() + ": JMX write of " + attribute + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Object exec(String operation, String... arguments) {
        String[] signature = new String[arguments.length];
        Arrays.fill(signature, String.class.getName());
        try {
            return shown(mbeans.invoke(new ObjectName(CONTROLLER), operation, arguments, signature));
        } catch (RuntimeMBeanException | MBeanException e) {
            throw refused(e);
        } catch (IOException | javax.management.JMException e) {
            throw new Unreachable(name() + ": JMX " + operation + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String threads() {
        if (jchaos) {
            return (String) exec("threads");
        }
        try {
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(mbeans,
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            List<ThreadSnapshot> snapshots = new ArrayList<>();
            for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
                if (info != null) {
                    snapshots.add(ThreadSnapshot.of(info));
                }
            }
            int groups = StackGroups.group(snapshots).size();
            return snapshots.size() + " threads in " + groups + (groups == 1 ? " group" : " groups")
                    + "; start sites not recorded (jchaos is not loaded there: attach records them from then on)"
                    + (virtualThreadsPossible() ? "; virtual threads not listed (JMX lists platform threads only: "
                    + "attach to include them)" : "") + "\n"
                    + StackGroups.render(snapshots, null);
        } catch (IOException | RuntimeException e) {
            throw new Unreachable(name() + ": cannot read its threads over JMX: " + e.getMessage(), e);
        }
    }

    /** Whether the JVM is one that can run virtual threads (JDK 21+), which its ThreadMXBean does not list. */
    private boolean virtualThreadsPossible() {
        try {
            String spec = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.RUNTIME_MXBEAN_NAME,
                    java.lang.management.RuntimeMXBean.class).getSpecVersion();
            return Integer.parseInt(spec.split("\\.")[0]) >= 21;
        } catch (IOException | RuntimeException e) {
            return true; // cannot tell: say it rather than hide it
        }
    }

    private RuntimeException refused(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof IllegalArgumentException) {
            return new Refused(name() + ": refused, nothing was changed: " + cause.getMessage());
        }
        if (cause instanceof SecurityException) {
            return new Unreachable(name() + ": not allowed: " + cause.getMessage());
        }
        return new Unreachable(name() + ": failed: " + cause);
    }

    /** JMX values as the command line shows them. */
    static Object shown(Object value) {
        if (value instanceof String[]) {
            return List.of((String[]) value);
        }
        if (value instanceof CompositeData[]) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CompositeData data : (CompositeData[]) value) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String key : data.getCompositeType().keySet()) {
                    Object v = data.get(key);
                    row.put(key, v == null ? null : String.valueOf(v));
                }
                rows.add(row);
            }
            return rows;
        }
        return value;
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // closing a dead connection
        }
    }
}
