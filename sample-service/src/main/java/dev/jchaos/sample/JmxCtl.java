package dev.jchaos.sample;

import com.sun.tools.attach.VirtualMachine;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ctl}: toggles chaos in another running JVM the way jconsole would: attach by pid, start its local JMX
 * agent, and use the {@code dev.jchaos:type=ChaosController} MBean.
 */
final class JmxCtl {

    static final String USAGE = "ctl --pid PID (status | enable | disable | activate PATTERN ACTIONS | deactivate PATTERN | deactivate-all)";

    private JmxCtl() {
    }

    static void run(List<String> args, PrintStream out) throws Exception {
        if (args.size() < 3 || !args.get(0).equals("--pid")) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        String pid = args.get(1);
        if (!pid.matches("\\d{1,10}")) {
            throw new IllegalArgumentException("--pid must be a process id but was '" + pid + "'");
        }
        List<String> command = args.subList(2, args.size());
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
        }
        ObjectName controller = new ObjectName(JmxOperator.CONTROLLER);
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            if (!mbeans.isRegistered(controller)) {
                throw new IllegalStateException("pid " + pid + " has no " + JmxOperator.CONTROLLER + " MBean");
            }
            String op = command.get(0);
            List<String> rest = command.subList(1, command.size());
            switch (op) {
                case "status" -> requireArgs(op, rest, 0);
                case "enable", "disable" -> {
                    requireArgs(op, rest, 0);
                    mbeans.setAttribute(controller, new Attribute("Enabled", op.equals("enable")));
                }
                case "activate" -> {
                    requireArgs(op, rest, 2);
                    invoke(mbeans, controller, "activate", rest.get(0), rest.get(1));
                }
                case "deactivate" -> {
                    requireArgs(op, rest, 1);
                    invoke(mbeans, controller, "deactivate", rest.get(0));
                }
                case "deactivate-all" -> {
                    requireArgs(op, rest, 0);
                    invoke(mbeans, controller, "deactivateAll");
                }
                default -> throw new IllegalArgumentException("unknown ctl operation '" + op + "'; usage: " + USAGE);
            }
            out.println("pid " + pid + ": Enabled=" + mbeans.getAttribute(controller, "Enabled") + ", ActivePoints="
                    + Arrays.toString((String[]) mbeans.getAttribute(controller, "ActivePoints")));
            if (op.equals("status")) {
                Object points = mbeans.getAttribute(controller, "Points");
                if (points instanceof CompositeData[] all) {
                    for (CompositeData point : all) {
                        if (point.containsKey("id")) {
                            out.println("  " + point.get("id") + "  calls=" + point.get("calls") + " injections="
                                    + point.get("injections") + " inFlight=" + point.get("inFlight"));
                        }
                    }
                }
            }
        }
    }

    private static void requireArgs(String op, List<String> rest, int count) {
        if (rest.size() != count) {
            throw new IllegalArgumentException(op + " takes " + count + " argument(s) but got " + rest.size() + ": "
                    + rest);
        }
    }

    private static void invoke(MBeanServerConnection mbeans, ObjectName controller, String op, String... args)
            throws Exception {
        String[] signature = new String[args.length];
        Arrays.fill(signature, String.class.getName());
        try {
            mbeans.invoke(controller, op, args, signature);
        } catch (javax.management.RuntimeMBeanException | javax.management.MBeanException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(op + " refused: " + cause.getMessage(), cause);
        }
    }
}
