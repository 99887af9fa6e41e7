package dev.jchaos.core.internal;

/** What a term does when it fires. Immutable. */
public final class Task {

    /** The kinds of task of the action language. */
    public enum Kind {
        OFF("off"), DELAY("delay"), HANG("hang"), THROW("throw");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word in the action language, also the {@code action} tag of metrics. */
        public String word() {
            return word;
        }
    }

    static final long NO_LIMIT = -1;

    final Kind kind;
    /** DELAY: lower bound; HANG: own limit or {@link #NO_LIMIT}. */
    final long minNanos;
    /** DELAY: upper bound (equal to minNanos for a fixed delay). */
    final long maxNanos;
    final String exceptionClass;
    final String message;

    private Task(Kind kind, long minNanos, long maxNanos, String exceptionClass, String message) {
        this.kind = kind;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.exceptionClass = exceptionClass;
        this.message = message;
    }

    static Task off() {
        return new Task(Kind.OFF, 0, 0, null, null);
    }

    static Task delay(long minNanos, long maxNanos) {
        return new Task(Kind.DELAY, minNanos, maxNanos, null, null);
    }

    static Task hang(long limitNanos) {
        return new Task(Kind.HANG, limitNanos, limitNanos, null, null);
    }

    static Task raise(String exceptionClass, String message) {
        return new Task(Kind.THROW, 0, 0, exceptionClass, message);
    }

    /** The kind of task. */
    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        switch (kind) {
            case OFF:
                return "off";
            case DELAY:
                return minNanos == maxNanos
                        ? "delay(" + Durations.format(minNanos) + ")"
                        : "delay(" + Durations.format(minNanos) + ".." + Durations.format(maxNanos) + ")";
            case HANG:
                return minNanos == NO_LIMIT ? "hang" : "hang(" + Durations.format(minNanos) + ")";
            default:
                return message == null ? "throw(" + exceptionClass + ")"
                        : "throw(" + exceptionClass + "," + quoteIfNeeded(message) + ")";
        }
    }

    private static String quoteIfNeeded(String message) {
        boolean plain = !message.isEmpty() && message.equals(message.strip()) && message.indexOf(')') < 0
                && message.indexOf(';') < 0 && message.indexOf('"') < 0 && !message.contains("->");
        if (plain) {
            return message;
        }
        return '"' + message.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
