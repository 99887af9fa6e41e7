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
     * The actions an {@code @InjectDelay} declares: {@code [p%][times*]delay(ms[..ms+jitterMs])}.
     *
     * @throws IllegalArgumentException naming the attribute when a value is out of range
     */
    public static Program declared(long ms, long jitterMs, double probability, int times) {
        if (ms < 0) {
            throw new IllegalArgumentException("ms must not be negative but was " + ms);
        }
        if (jitterMs < 0) {
            throw new IllegalArgumentException("jitterMs must not be negative but was " + jitterMs);
        }
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be from 0.0 to 1.0 but was " + probability);
        }
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException("times must be -1 (unlimited) or at least 1 but was " + times);
        }
        long min = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ms);
        long max = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ms + jitterMs);
        Term term = new Term(probability * 100.0, times == -1 ? Term.UNLIMITED : times, Task.delay(min, max));
        return new Program(List.of(term));
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
