package dev.jchaos.core;

/**
 * Bad jchaos input: a malformed action, pattern, duration or system property. The message quotes the input and
 * points at the column where reading stopped. Nothing of the call that threw was applied.
 */
public final class ChaosConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final int column;
    private final String reason;

    /**
     * @param input  the text that was rejected
     * @param column 1-based column in {@code input} where the problem is, or 0 when it concerns the whole text
     * @param reason what is wrong, in a few words
     */
    public ChaosConfigException(String input, int column, String reason) {
        super(format(input, column, reason));
        this.input = input;
        this.column = column;
        this.reason = reason;
    }

    /** The rejected text. */
    public String input() {
        return input;
    }

    /** 1-based column of the problem in {@link #input()}, or 0 when it concerns the whole text. */
    public int column() {
        return column;
    }

    /** What is wrong, without the quoted input. */
    public String reason() {
        return reason;
    }

    private static String format(String input, int column, String reason) {
        String shown = input == null ? "null" : input;
        if (column <= 0) {
            return reason + ": \"" + shown + "\"";
        }
        StringBuilder caret = new StringBuilder();
        for (int i = 1; i < column; i++) {
            caret.append(i - 1 < shown.length() && shown.charAt(i - 1) == '\t' ? '\t' : ' ');
        }
        return reason + " at column " + column + " of \"" + shown + "\"\n  " + shown + "\n  " + caret + "^";
    }
}
