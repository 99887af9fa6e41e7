package dev.jchaos.core.internal.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.internal.Glob;
import dev.jchaos.core.internal.Inputs;
import dev.jchaos.core.internal.threads.ThreadSites;

import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent jar as a command line, in the JDK tools' shape ({@code jcmd <pid> <command>}): one verb, one target,
 * an exit status scripts can trust. {@code java -jar chaos-core-<version>-agent.jar <command> ...}.
 */
public final class Cli {

    static final int OK = 0;
    static final int UNREACHABLE = 1;
    static final int BAD_INPUT = 2;

    static final String USAGE = String.join("\n",
            "usage: java -jar chaos-core-<version>-agent.jar <command> [<pid> | --jolokia URL[,URL...]] [arguments]",
            "",
            "  list                                local JVMs: pid, the jchaos version loaded (- for none, no-attach",
            "                                      for a JVM that forbids attaching), main class",
            "  attach <pid>                        loads jchaos into that JVM (idempotent); from then on it records",
            "                                      where threads are started",
            "  status <pid>                        Enabled, seed, ttl, halt conditions, active points, and each point's",
            "                                      calls, injections and threads in flight; races jchaos.races found",
            "  enable <pid>, disable <pid>         the master switch (disable releases every held thread)",
            "  activate <pid> <pattern> <actions> [--ttl D] [--halt-when C]",
            "                                      activates as the JMX operation does and turns the master switch on;",
            "                                      attaches first where needed. --ttl: disarm everything D from now",
            "                                      (none: no ttl); a ttl or halt condition in force is shown;",
            "                                      --halt-when: halt conditions such as 'threads.growth>200'",
            "  deactivate <pid> <pattern>          deactivates that pattern and what it covers",
            "  off <pid>                           the kill switch: every point deactivated, every held thread released",
            "  threads <pid>                       live threads grouped pprof style (biggest group first), frames, and",
            "                                      where each group was started where that was recorded",
            "",
            "  --jolokia URL[,URL...] in place of <pid> does the same through Jolokia (the HTTP-JMX bridge) on each JVM",
            "  named, one line per JVM. attach needs a pid (Jolokia cannot load an agent); list takes no target.",
            "",
            "  actions: delay(200ms), 25%delay(50ms..300ms), hang(5s), 3*throw(java.net.SocketTimeoutException)->off",
            "  exit status: 0 done; 1 a JVM could not be reached (the line says why); 2 bad usage or bad input (the",
            "  message names it; nothing was changed)",
            "",
            "  e.g. java -jar chaos-core-agent.jar activate 4242 'com.acme.Pricing#quote' 'delay(200ms)' --ttl 5m");

    private static final List<String> STATUS = List.of("Enabled", "Seed", "Ttl", "HaltWhen", "ActivePoints",
            "Activations", "Points", "Races");

    private final PrintStream out;
    private final PrintStream err;

    private Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Cli cli = new Cli(out, err);
        Command command;
        try {
            if (args.length == 0) {
                throw new Usage("no command given");
            }
            if (List.of("--help", "-h", "help").contains(args[0])) {
                out.println(USAGE);
                return OK;
            }
            command = Command.parse(args);
            if (command.help) {
                out.println(USAGE);
                return OK;
            }
            command.validate();
        } catch (Usage e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(USAGE);
            return BAD_INPUT;
        } catch (ChaosConfigException e) {
            err.println("error: nothing was changed: " + e.getMessage());
            return BAD_INPUT;
        }
        try {
            return cli.execute(command);
        } catch (NoClassDefFoundError e) {
            // a runtime without jdk.attach or java.net.http (a JRE, a jlink image): say which, not a stack trace
            err.println("error: " + missingModule(String.valueOf(e.getMessage())));
            return UNREACHABLE;
        }
    }

    static String missingModule(String missingClass) {
        if (missingClass.startsWith("com/sun/tools/attach")) {
            return "this Java runtime has no jdk.attach module (a JRE or a jlink image without it), which reaching a "
                    + "JVM by pid needs: run the command line with a full JDK's java, or reach the JVM with --jolokia";
        }
        if (missingClass.startsWith("java/net/http")) {
            return "this Java runtime has no java.net.http module, which --jolokia needs: run the command line with "
                    + "a full JDK's java";
        }
        return "this Java runtime lacks " + missingClass.replace('/', '.') + ": run the command line with a full "
                + "JDK's java";
    }

    private int execute(Command c) {
        if (c.verb.equals("list")) {
            return list();
        }
        if (c.jolokia.isEmpty()) {
            return once(() -> PidTarget.open(c.pid, need(c.verb), agentJar()), c);
        }
        HttpClient http = JolokiaTarget.client();
        int worst = OK;
        for (URI url : c.jolokia) {
            worst = Math.max(worst, once(() -> new JolokiaTarget(url, http), c));
        }
        return worst;
    }

    private static PidTarget.Need need(String verb) {
        switch (verb) {
            case "attach":
                return PidTarget.Need.ATTACH;
            case "activate":
                return PidTarget.Need.LOAD;
            case "threads":
                return PidTarget.Need.JMX;
            default:
                return PidTarget.Need.JCHAOS;
        }
    }

    private interface Opener {
        Target open();
    }

    /** Runs {@code c} on one JVM and prints its line(s). */
    private int once(Opener opener, Command c) {
        try (Target t = opener.open()) {
            out.println(perform(t, c));
            if (t instanceof PidTarget && ((PidTarget) t).settingsError != null) {
                // loaded, but its own -Djchaos.* were refused: jchaos runs there with none of them
                err.println(t.name() + ": warning: jchaos there refused that JVM's jchaos.* system properties and "
                        + "applied none of them: " + ((PidTarget) t).settingsError);
            }
            return OK;
        } catch (Target.Unreachable e) {
            err.println(e.getMessage());
            return UNREACHABLE;
        } catch (Target.Refused e) {
            err.println(e.getMessage());
            return BAD_INPUT;
        }
    }

    private String perform(Target t, Command c) {
        String name = t.name();
        String loaded = t instanceof PidTarget && ((PidTarget) t).attachedVersion != null
                ? "jchaos " + ((PidTarget) t).attachedVersion + " loaded; " : "";
        switch (c.verb) {
            case "attach": {
                PidTarget p = (PidTarget) t;
                return name + ": " + (loaded.isEmpty() ? "jchaos already loaded; " : loaded) + sites(p);
            }
            case "status":
                return status(t);
            case "enable":
            case "disable":
                t.write("Enabled", c.verb.equals("enable"));
                return name + ": Enabled=" + t.read(List.of("Enabled")).get("Enabled");
            case "activate": {
                t.exec("activate", c.args.get(0), c.args.get(1));
                if (c.ttl != null) {
                    t.write("Ttl", c.ttl);
                }
                if (c.haltWhen != null) {
                    t.write("HaltWhen", c.haltWhen);
                }
                t.write("Enabled", true);
                Map<String, Object> now = t.read(List.of("Enabled", "ActivePoints", "Ttl", "HaltWhen", "Points"));
                // a ttl or halt condition set earlier still holds for this activation: say so, never silently
                boolean ttl = c.ttl != null || !orNone(now.get("Ttl")).equals("none");
                boolean halt = c.haltWhen != null || !orNone(now.get("HaltWhen")).equals("none");
                return name + ": " + loaded + "Enabled=" + now.get("Enabled") + ", active " + now.get("ActivePoints")
                        + (ttl ? ", Ttl=" + orNone(now.get("Ttl")) : "")
                        + (halt ? ", HaltWhen=" + orNone(now.get("HaltWhen")) : "")
                        + matchesNothing(c.args.get(0), now.get("Points"));
            }
            case "deactivate":
                t.exec("deactivate", c.args.get(0));
                return name + ": active " + t.read(List.of("ActivePoints")).get("ActivePoints");
            case "off": {
                t.exec("deactivateAll");
                Map<String, Object> now = t.read(List.of("Enabled", "ActivePoints"));
                return name + ": kill switch pulled: every point deactivated, every held thread released; active "
                        + now.get("ActivePoints") + ", Enabled=" + now.get("Enabled");
            }
            case "threads":
                return name + ": " + t.threads().stripTrailing();
            default:
                throw new IllegalStateException("unhandled command " + c.verb);
        }
    }

    /** What {@code attach} found of thread start site recording. */
    private static String sites(PidTarget p) {
        if (p.sitesStartedNow) {
            return "thread start sites are recorded from now on";
        }
        String since = p.sitesSince;
        if (ThreadSites.UNAVAILABLE.equals(since)) {
            return "thread start sites cannot be recorded there (that JVM has no JFR)";
        }
        if (since != null) {
            try {
                return "thread start sites recorded since " + Instant.ofEpochMilli(Long.parseLong(since))
                        .truncatedTo(ChronoUnit.SECONDS);
            } catch (NumberFormatException e) {
                return "thread start sites recorded (since " + since + ")";
            }
        }
        return "thread start sites are not recorded (" + (p.sitesProblem != null ? p.sitesProblem
                : "another copy of jchaos controls that JVM") + "): start it with -Djchaos.threadSites=true";
    }

    /** A note when {@code pattern} decides no point the JVM has: a typo, or a class not loaded yet. */
    @SuppressWarnings("unchecked")
    private static String matchesNothing(String pattern, Object points) {
        if (!(points instanceof List)) {
            return "";
        }
        Glob glob = Glob.of(pattern);
        for (Object p : (List<Object>) points) {
            Map<String, Object> point = (Map<String, Object>) p;
            Object id = point.get("id");
            Object actions = point.get("actions");
            // a point the glob names but does not decide (one only an earlier fqcn#method aimed at) is not a match
            if (id != null && glob.matches(id.toString()) && actions != null && !actions.toString().isEmpty()) {
                return "";
            }
        }
        return "\n  note: '" + pattern + "' matches no point of this JVM yet; it takes effect on points declared or "
                + "classes loaded later (check the spelling against status)";
    }

    @SuppressWarnings("unchecked")
    static String status(Target t) {
        Map<String, Object> s = t.read(STATUS);
        StringBuilder sb = new StringBuilder(t.name()).append(": Enabled=").append(s.get("Enabled"))
                .append(" Seed=").append(s.get("Seed"))
                .append(" Ttl=").append(orNone(s.get("Ttl")))
                .append(" HaltWhen=").append(orNone(s.get("HaltWhen")))
                .append(" active ").append(s.get("ActivePoints"));
        Object kept = s.get("Activations");
        if (Boolean.FALSE.equals(s.get("Enabled")) && kept instanceof List && !((List<Object>) kept).isEmpty()) {
            // while disabled no point is active, but the activations wait for enable
            sb.append(" (disabled; kept until enable: ").append(kept).append(')');
        }
        Object points = s.get("Points");
        if (points instanceof List) {
            for (Object p : (List<Object>) points) {
                Map<String, Object> point = (Map<String, Object>) p;
                Object actions = point.get("actions");
                sb.append("\n  ").append(point.get("id"))
                        .append("  ").append(actions == null || actions.toString().isEmpty() ? "-" : actions)
                        .append("  calls=").append(point.get("calls"))
                        .append(" injections=").append(point.get("injections"))
                        .append(" inFlight=").append(point.get("inFlight"));
            }
        }
        Object races = s.get("Races");
        if (races instanceof List && !((List<Object>) races).isEmpty()) {
            // what jchaos.races found there, one line per pair of call sites
            sb.append("\n  thread-safety violations found: ").append(((List<Object>) races).size());
            for (Object race : (List<Object>) races) {
                sb.append("\n    ").append(race);
            }
        }
        return sb.toString();
    }

    private static String orNone(Object value) {
        return value == null || value.toString().isEmpty() ? "none" : value.toString();
    }

    private int list() {
        List<VirtualMachineDescriptor> jvms = new ArrayList<>(VirtualMachine.list());
        String self = Long.toString(ProcessHandle.current().pid());
        Map<Long, String[]> rows = new java.util.TreeMap<>();
        for (VirtualMachineDescriptor d : jvms) {
            if (d.id().equals(self)) {
                continue;
            }
            String main = d.displayName().isBlank() ? "(unknown)" : d.displayName().split(" ")[0];
            rows.put(parsePid(d.id()), new String[] {d.id(), PidTarget.probe(d), main});
        }
        // the attach API leaves out JVMs that forbid attaching; their performance data files still name them
        for (long pid : perfDataPids()) {
            if (!rows.containsKey(pid) && pid != ProcessHandle.current().pid()) {
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(Cli::mayBeJava)
                        .ifPresent(p -> rows.put(pid, new String[] {
                    Long.toString(pid), "no-attach", mainClass(p) + "  (-XX:+DisableAttachMechanism: start it "
                            + "with -javaagent to operate it)"}));
            }
        }
        out.printf("%-8s %-16s %s%n", "PID", "JCHAOS", "MAIN CLASS");
        for (String[] row : rows.values()) {
            out.printf("%-8s %-16s %s%n", row[0], row[1], row[2]);
        }
        return OK;
    }

    /** The pids of the JVMs whose {@code hsperfdata_<user>} files this user can see. */
    private static List<Long> perfDataPids() {
        List<Long> pids = new ArrayList<>();
        File[] dirs = new File(System.getProperty("java.io.tmpdir"))
                .listFiles(f -> f.isDirectory() && f.getName().startsWith("hsperfdata_"));
        if (dirs == null) {
            return pids;
        }
        for (File dir : dirs) {
            String[] names = dir.list();
            if (names == null) {
                continue;
            }
            for (String name : names) {
                if (name.matches("[0-9]{1,10}")) {
                    pids.add(Long.parseLong(name));
                }
            }
        }
        return pids;
    }

    /** False for a process whose executable is known and is not a java launcher (a stale file's reused pid). */
    private static boolean mayBeJava(ProcessHandle process) {
        return process.info().command().map(c -> Paths.get(c).getFileName().toString().startsWith("java"))
                .orElse(true);
    }

    /** A JVM's main class (or {@code -jar} file) from its command line, as far as the OS shows it. */
    static String mainClass(ProcessHandle process) {
        String[] args = process.info().arguments().orElse(null);
        if (args == null) {
            return "(unknown)";
        }
        Set<String> takesValue = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
                "--add-modules", "--add-opens", "--add-exports", "--add-reads", "--limit-modules",
                "--upgrade-module-path", "--patch-module");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-jar") || a.equals("-m") || a.equals("--module")) {
                return i + 1 < args.length ? args[i + 1] : "(unknown)";
            }
            if (takesValue.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return "(unknown)";
    }

    private static long parsePid(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The jar this command line runs from, which is the agent to load; null when run from classes. */
    static Path agentJar() {
        CodeSource source = Cli.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                File f = new File(source.getLocation().toURI());
                if (f.isFile() && f.getName().endsWith(".jar")) {
                    return f.toPath().toAbsolutePath();
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    static String agentJarHint() {
        Path jar = agentJar();
        return jar != null ? jar.toString() : "chaos-core-<version>-agent.jar";
    }

    /** Bad usage: exit status 2 with the help text. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /** A parsed command line. */
    static final class Command {
        private static final Map<String, Integer> ARITY = Map.of("list", 0, "attach", 0, "status", 0, "enable", 0,
                "disable", 0, "activate", 2, "deactivate", 1, "off", 0, "threads", 0);

        String verb;
        long pid;
        List<URI> jolokia = List.of();
        List<String> args = new ArrayList<>();
        String ttl;
        String haltWhen;
        boolean help;

        static Command parse(String[] argv) {
            Command c = new Command();
            c.verb = argv[0];
            if (!ARITY.containsKey(c.verb)) {
                throw new Usage("unknown command '" + c.verb + "'");
            }
            List<String> positional = new ArrayList<>();
            String jolokia = null;
            for (int i = 1; i < argv.length; i++) {
                String a = argv[i];
                switch (a) {
                    case "--help":
                    case "-h":
                        c.help = true;
                        break;
                    case "--jolokia":
                        jolokia = value(argv, ++i, a);
                        break;
                    case "--ttl":
                        c.ttl = value(argv, ++i, a);
                        break;
                    case "--halt-when":
                        c.haltWhen = value(argv, ++i, a);
                        break;
                    default:
                        if (a.startsWith("--")) {
                            throw new Usage("unknown option '" + a + "'");
                        }
                        positional.add(a);
                }
            }
            if (c.help) {
                return c;
            }
            if ((c.ttl != null || c.haltWhen != null) && !c.verb.equals("activate")) {
                throw new Usage((c.ttl != null ? "--ttl" : "--halt-when") + " goes with activate only");
            }
            if (c.verb.equals("list")) {
                if (jolokia != null || !positional.isEmpty()) {
                    throw new Usage("list takes no target: it lists the local JVMs");
                }
                return c;
            }
            if (jolokia != null) {
                if (c.verb.equals("attach")) {
                    throw new Usage("attach needs a pid: Jolokia cannot load an agent; start those JVMs with "
                            + "-javaagent:" + agentJarHint());
                }
                c.jolokia = urls(jolokia);
            } else {
                if (positional.isEmpty()) {
                    throw new Usage(c.verb + " needs a pid or --jolokia URL[,URL...]");
                }
                String pid = positional.remove(0);
                if (!pid.matches("[0-9]{1,10}") || Long.parseLong(pid) == 0) {
                    throw new Usage("'" + pid + "' is not a pid (a process id such as 4242; list shows them)");
                }
                c.pid = Long.parseLong(pid);
            }
            int arity = ARITY.get(c.verb);
            if (positional.size() != arity) {
                throw new Usage(c.verb + " takes " + (arity == 0 ? "no arguments" : arity == 1 ? "one argument"
                        : arity + " arguments") + " after the target but got " + positional.size() + ": "
                        + positional);
            }
            c.args = positional;
            return c;
        }

        private static String value(String[] argv, int i, String option) {
            if (i >= argv.length || argv[i].startsWith("--")) {
                throw new Usage(option + " needs a value");
            }
            return argv[i];
        }

        private static List<URI> urls(String text) {
            List<URI> result = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                String u = part.strip();
                if (u.isEmpty()) {
                    throw new Usage("--jolokia: an empty URL in '" + text + "'; give URL[,URL...] such as "
                            + "http://host:8778/jolokia/");
                }
                try {
                    URI uri = new URI(u);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new URISyntaxException(u, "not an http(s) URL with a host");
                    }
                    result.add(uri);
                } catch (URISyntaxException e) {
                    throw new Usage("--jolokia: '" + u + "' is not a Jolokia URL such as http://host:8778/jolokia/");
                }
            }
            return result;
        }

        /** Checks the input locally, before any JVM is touched. */
        void validate() {
            if (verb.equals("activate")) {
                try {
                    Inputs.checkActivation(args.get(0), args.get(1));
                } catch (ChaosConfigException e) {
                    throw new ChaosConfigException(e.input(), e.column(), "activate: " + e.reason());
                }
                if (ttl != null && ttl.strip().equalsIgnoreCase("none")) {
                    ttl = ""; // the MBean's Ttl takes empty for none
                } else if (ttl != null) {
                    try {
                        if (Inputs.checkDuration(ttl) <= 0) {
                            throw new ChaosConfigException(ttl, 0, "must be longer than zero (none removes it)");
                        }
                    } catch (ChaosConfigException e) {
                        throw new ChaosConfigException(e.input(), e.column(), "--ttl: " + e.reason());
                    }
                }
                if (haltWhen != null) {
                    try {
                        haltWhen = Inputs.checkHaltWhen(haltWhen);
                    } catch (ChaosConfigException e) {
                        throw new ChaosConfigException(e.input(), e.column(), "--halt-when: " + e.reason());
                    }
                }
            } else if (verb.equals("deactivate")) {
                Inputs.checkPattern(args.get(0));
            }
        }
    }
}
