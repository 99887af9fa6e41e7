package dev.jchaos.core.internal.agent;

import com.sun.tools.attach.VirtualMachine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The helper process of self-attach (a JVM may not attach to itself by default): reads the target pid, the agent
 * jar and the agent argument from standard input, so the one-time token never shows on a command line, and loads
 * the agent. Exit status 0 done, 1 failed (the reason on standard error).
 */
public final class AttachMain {

    private AttachMain() {
    }

    public static void main(String[] args) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String pid = in.readLine();
            String jar = in.readLine();
            String argument = in.readLine();
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar, argument);
            } finally {
                vm.detach();
            }
        } catch (Exception | LinkageError e) {
            System.err.println(e);
            System.exit(1);
        }
    }
}
