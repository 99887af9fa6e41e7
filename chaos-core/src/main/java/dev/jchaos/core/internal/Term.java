package dev.jchaos.core.internal;

/** {@code [percent%][count*]task}: one step of a point's actions. Immutable. */
final class Term {

    static final long UNLIMITED = 0;

    /** Chance in percent, 0..100; 100 means always. */
    final double percent;
    /** How many times the term fires before giving way to the next, or {@link #UNLIMITED}. */
    final long count;
    final Task task;
    /** {@code percent / 100} scaled to a 53-bit threshold, for an allocation-free draw. */
    final long threshold;

    Term(double percent, long count, Task task) {
        this.percent = percent;
        this.count = count;
        this.task = task;
        this.threshold = (long) Math.floor(percent / 100.0 * (1L << 53));
    }

    boolean always() {
        return percent >= 100.0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!always()) {
            sb.append(Durations.number(percent)).append('%');
        }
        if (count != UNLIMITED) {
            sb.append(count).append('*');
        }
        return sb.append(task).toString();
    }
}
