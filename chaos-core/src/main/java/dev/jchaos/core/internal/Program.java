package dev.jchaos.core.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The actions of a point: terms tried left to right. Immutable; {@link #toString()} is canonical action text. */
public final class Program {

    /**
     * Action texts parsed before. Activation is rare, so its code runs interpreted or barely compiled, and parsing is
     * the largest part of it; a test suite or an operator's script switches the same few texts over and over.
     */
    private static final ConcurrentHashMap<String, Program> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 256;

    final Term[] terms;
    /** Whether a term throws: only then does activating need the woven methods' declared exceptions. */
    final boolean throwsAny;
    private final String text;

    Program(List<Term> terms) {
        this.terms = terms.toArray(new Term[0]);
        // loops, not streams: the defaults are parsed while the agent starts, before the application's main
        boolean throwing = false;
        StringBuilder text = new StringBuilder();
        for (Term t : this.terms) {
            throwing |= t.task.kind == Task.Kind.THROW;
            text.append(text.length() == 0 ? "" : "->").append(t);
        }
        this.throwsAny = throwing;
        this.text = text.toString();
    }

    /**
     * Parses actions such as {@code 25%delay(50ms..300ms)} or {@code 3*throw(java.io.IOException,boom)->off}.
     *
     * @throws dev.jchaos.core.ChaosConfigException naming the column when malformed
     */
    public static Program parse(String actions) {
        Program known = actions == null ? null : PARSED.get(actions);
        if (known != null) {
            return known;
        }
        Program parsed = new ActionParser(actions).actionsOnly();
        if (PARSED.size() >= PARSED_MAX) {
            PARSED.clear();
        }
        PARSED.put(actions, parsed); // only text that parsed: a malformed one is refused every time
        return parsed;
    }

    /**
     * The actions an {@code @InjectDelay} declares: {@code [p%][times*]delay(ms[..ms+jitterMs])}, or {@code off}.
     *
     * @throws IllegalArgumentException naming the attribute when a value is out of range
     */
    public static Program declared(long ms, long jitterMs, double probability, int times) {
        return parse(DeclaredActions.text(ms, jitterMs, probability, times));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Program && ((Program) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
