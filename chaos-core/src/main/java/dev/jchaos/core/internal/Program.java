package dev.jchaos.core.internal;

import java.util.List;
import java.util.stream.Collectors;

/** The actions of a point: terms tried left to right. Immutable; {@link #toString()} is canonical action text. */
public final class Program {

    final Term[] terms;
    private final String text;

    Program(List<Term> terms) {
        this.terms = terms.toArray(new Term[0]);
        this.text = terms.stream().map(Term::toString).collect(Collectors.joining("->"));
    }

    /**
     * Parses actions such as {@code 25%delay(50ms..300ms)} or {@code 3*throw(java.io.IOException,boom)->off}.
     *
     * @throws dev.jchaos.core.ChaosConfigException naming the column when malformed
     */
    public static Program parse(String actions) {
        return new ActionParser(actions).actionsOnly();
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
