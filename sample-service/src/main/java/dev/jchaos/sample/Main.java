package dev.jchaos.sample;

import dev.jchaos.core.Chaos;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of {@code sample-service.jar}: {@code serve} runs the order service, {@code experiment} runs
 * a chaos experiment against it.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: java -javaagent:<chaos-core agent jar> -jar sample-service.jar <command> [options]",
            "",
            "  serve [--port N] [--inventory-url URL] [--pricing-url URL]",
            "        [--jdbc-url URL [--jdbc-user U] [--jdbc-password P]] [--leaky]",
            "      Serves POST /orders, GET /orders/{id}, GET /health and GET /metrics on 127.0.0.1 (default port 8080).",
            "      Without URLs it starts in-process fake inventory and pricing services; without a JDBC URL, H2.",
            "",
            "  experiment [--duration D] [--rps N] [--point P] [--action A] [--leaky] [--halt-when C] [--races]",
            "             [--warmup D] [--baseline D] [--recovery D] [--out DIR]",
            "      Drives load, activates P=A over a loopback JMX connector for D (default 15s), turns it off and",
            "      reports whether the service recovered. Defaults: --rps 50 --point '*nventory*' --action 'delay(800ms)'",
            "      (with --leaky: the leak exhibit and --point '*Pricing*'); reports in target/jchaos-experiment/,",
            "      with chaos.jfr, a JFR recording of the chaos phase. --halt-when C sets halt conditions over JMX",
            "      (such as 'threads.growth>100'): a breach pulls the kill switch and the report says so. --races",
            "      watches the race exhibit (InFlightOrders) with jchaos.races and reports the violations it finds.",
            "",
            "  To toggle chaos in a running JVM use the jchaos command line, the agent jar itself:",
            "      java -jar chaos-core-<version>-agent.jar activate <pid> '*nventory*' 'delay(800ms)'");

    private Main() {
    }

    /** Runs a command; exits with 2 on bad usage and 1 when the command fails. */
    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        try {
            switch (args[0]) {
                case "serve" -> serve(new Options(rest), out);
                case "experiment" -> experiment(new Options(rest), out);
                default -> throw new IllegalArgumentException("unknown command '" + args[0]
                        + "'; expected serve or experiment (for ctl, use java -jar chaos-core-<version>-agent.jar)");
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(USAGE);
            return 2;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void serve(Options options, PrintStream out) throws InterruptedException {
        ServiceConfig config = ServiceConfig.defaults()
                .withPort(options.intValue("--port", 8080, 0, 65535))
                .withLeaky(options.flag("--leaky"));
        String inventory = options.value("--inventory-url", null);
        String pricing = options.value("--pricing-url", null);
        config = config.withDownstreams(inventory == null ? null : uri("--inventory-url", inventory),
                pricing == null ? null : uri("--pricing-url", pricing));
        String jdbc = options.value("--jdbc-url", null);
        if (jdbc != null) {
            config = config.withDatabase(jdbc, options.value("--jdbc-user", null), options.value("--jdbc-password", null));
        }
        options.requireAllUsed();
        ChaosBridge.ensureController(out);
        if (System.getProperty("jchaos.enabled") == null) {
            // a demo service: the master switch is on so that an operator's activate() takes effect at once
            Chaos.controller().setEnabled(true);
        }
        SampleApp app = SampleApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "sample-service-shutdown"));
        out.println("sample-service listening on " + app.uri() + " (pid " + ProcessHandle.current().pid() + ")");
        out.println("  POST /orders {\"sku\":\"ABC-1\",\"quantity\":1}, GET /orders/{id}, GET /health, GET /metrics");
        out.println("  chaos: MBean " + JmxOperator.CONTROLLER + ", Enabled=" + Chaos.controller().isEnabled()
                + "; jconsole " + ProcessHandle.current().pid() + ", or: java -jar chaos-core-<version>-agent.jar "
                + "activate " + ProcessHandle.current().pid() + " '*nventory*' 'delay(800ms)'");
        out.println("  inventory " + (inventory == null ? "in-process fake" : inventory) + ", pricing "
                + (pricing == null ? "in-process fake" : pricing) + ", database " + (jdbc == null ? "H2 in memory" : jdbc)
                + (config.leaky() ? ", LEAK EXHIBIT legacy pricing" : ""));
        stopped.await();
    }

    private static void experiment(Options options, PrintStream out) throws InterruptedException {
        boolean leaky = options.flag("--leaky");
        Experiment.Options defaults = Experiment.Options.defaults(leaky);
        Experiment.Options chosen = new Experiment.Options(
                options.duration("--warmup", defaults.warmup()),
                options.duration("--baseline", defaults.baseline()),
                options.duration("--duration", defaults.chaos()),
                options.duration("--recovery", defaults.recovery()),
                options.intValue("--rps", defaults.rps(), 1, 2000),
                options.value("--point", defaults.point()),
                options.value("--action", defaults.action()),
                leaky,
                Path.of(options.value("--out", defaults.out().toString())),
                options.value("--halt-when", null),
                options.flag("--races"));
        options.requireAllUsed();
        new Experiment(chosen, out).run();
        // The JVM exits when main returns; say so if anything would keep it alive.
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t != Thread.currentThread()
                        && !t.getName().equals("DestroyJavaVM"))
                .forEach(t -> out.println("warning: non-daemon thread still running: " + t.getName()));
    }

    private static URI uri(String option, String text) {
        try {
            URI uri = URI.create(text);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(option + " must be an absolute http URL but was '" + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be an absolute http URL but was '" + text + "'", e);
        }
    }

    /** {@code --name value} options and {@code --flag}s; anything unknown or left over is an error. */
    static final class Options {

        private final List<String> args;
        private final boolean[] used;

        Options(List<String> args) {
            this.args = args;
            this.used = new boolean[args.size()];
        }

        boolean flag(String name) {
            int at = args.indexOf(name);
            if (at < 0) {
                return false;
            }
            used[at] = true;
            return true;
        }

        String value(String name, String fallback) {
            int at = args.indexOf(name);
            if (at < 0) {
                return fallback;
            }
            if (at + 1 >= args.size() || args.get(at + 1).startsWith("--")) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            used[at] = true;
            used[at + 1] = true;
            return args.get(at + 1);
        }

        int intValue(String name, int fallback, int min, int max) {
            String text = value(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(text);
                if (value < min || value > max) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must be an integer from %d to %d but was '%s'", name, min, max, text));
            }
        }

        Duration duration(String name, Duration fallback) {
            String text = value(name, null);
            return text == null ? fallback : Durations.parse(name, text);
        }

        void requireAllUsed() {
            for (int i = 0; i < args.size(); i++) {
                if (!used[i]) {
                    throw new IllegalArgumentException("unknown option '" + args.get(i) + "'");
                }
            }
        }
    }
}
