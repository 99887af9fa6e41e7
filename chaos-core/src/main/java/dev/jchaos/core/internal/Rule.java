package dev.jchaos.core.internal;

/** An activation: a pattern and its actions ({@code null} actions mean each point's declared defaults). */
record Rule(Glob glob, Program program, long seq) {

    String actionsText() {
        return program == null ? "" : program.toString();
    }
}
