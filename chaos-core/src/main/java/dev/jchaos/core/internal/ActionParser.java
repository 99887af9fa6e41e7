package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The one parser of the action language, used by system properties, JMX and the Java API alike.
 *
 * <pre>
 * config  := entry (';' entry)*
 * entry   := pointPattern '=' actions
 * actions := term ('-&gt;' term)*
 * term    := [percent '%'] [count '*'] task
 * task    := 'off' | 'delay(' dur ['..' dur] ')' | 'hang' ['(' dur ')'] | 'throw(' fqcn [',' message] ')'
 * dur     := number ['ns'|'us'|'ms'|'s'|'m']
 * </pre>
 */
final class ActionParser {

    private final String in;
    private int pos;
    private boolean inConfig;

    ActionParser(String input) {
        this.in = input == null ? "" : input;
    }

    /** A whole {@code jchaos.points}-style config. */
    List<ConfigEntry> config() {
        inConfig = true;
        List<ConfigEntry> entries = new ArrayList<>();
        while (true) {
            ws();
            if (eof()) {
                break;
            }
            if (peek() == ';') {
                pos++;
                continue;
            }
            int start = pos;
            String pattern = pattern();
            ws();
            if (eof() || peek() != '=') {
                throw error(pos, "expected '=' and actions after point pattern '" + pattern + "'");
            }
            pos++;
            Program program = actions();
            entries.add(new ConfigEntry(pattern, program, start));
            ws();
            if (!eof()) {
                if (peek() != ';') {
                    throw error(pos, "expected ';' or the end of the config");
                }
                pos++;
            }
        }
        return entries;
    }

    /** Actions alone, as {@code activate(pattern, actions)} takes them. */
    Program actionsOnly() {
        ws();
        if (eof()) {
            throw error(0, "no actions given");
        }
        Program program = actions();
        ws();
        if (!eof()) {
            throw error(pos, "unexpected '" + peek() + "' after the actions");
        }
        return program;
    }

    /** A pattern alone, as {@code activate} and {@code deactivate} take it. */
    String patternOnly() {
        ws();
        String pattern = pattern();
        ws();
        if (!eof()) {
            throw error(pos, "unexpected '" + peek() + "' in point pattern");
        }
        return pattern;
    }

    /** A duration alone, as {@code jchaos.maxDelay} and {@code jchaos.ttl} take it. */
    long durationOnly() {
        ws();
        long nanos = duration();
        ws();
        if (!eof()) {
            throw error(pos, "unexpected '" + peek() + "' after the duration");
        }
        return nanos;
    }

    private Program actions() {
        List<Term> terms = new ArrayList<>();
        terms.add(term());
        while (true) {
            ws();
            if (in.startsWith("->", pos)) {
                pos += 2;
                terms.add(term());
            } else {
                break;
            }
        }
        return new Program(terms);
    }

    private Term term() {
        ws();
        double percent = 100.0;
        long count = Term.UNLIMITED;
        if (!eof() && (Character.isDigit(peek()) || peek() == '.')) {
            int start = pos;
            BigDecimal number = number();
            ws();
            if (!eof() && peek() == '%') {
                if (number.compareTo(BigDecimal.valueOf(100)) > 0) {
                    throw error(start, "percent must be from 0 to 100 but was " + number.toPlainString());
                }
                percent = number.doubleValue();
                pos++;
                ws();
                if (!eof() && Character.isDigit(peek())) {
                    start = pos;
                    number = number();
                    ws();
                    if (eof() || peek() != '*') {
                        throw error(pos, "expected '*' after the count " + number.toPlainString());
                    }
                    count = count(number, start);
                    pos++;
                }
            } else if (!eof() && peek() == '*') {
                count = count(number, start);
                pos++;
            } else {
                throw error(pos, "expected '%' or '*' after " + number.toPlainString());
            }
        }
        return new Term(percent, count, task());
    }

    private long count(BigDecimal number, int at) {
        if (number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
            throw error(at, "count must be a whole number but was " + number.toPlainString());
        }
        if (number.signum() <= 0) {
            throw error(at, "count must be at least 1 but was " + number.toPlainString());
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw error(at, "count is too large: " + number.toPlainString());
        }
    }

    private Task task() {
        ws();
        int start = pos;
        while (!eof() && Character.isLetter(peek())) {
            pos++;
        }
        String word = in.substring(start, pos);
        switch (word) {
            case "off":
                return Task.off();
            case "delay": {
                expect('(', "'(' after delay");
                ws();
                long min = duration();
                long max = min;
                ws();
                if (in.startsWith("..", pos)) {
                    pos += 2;
                    ws();
                    int at = pos;
                    max = duration();
                    if (max < min) {
                        throw error(at, "delay range must not end before it starts: "
                                + Durations.format(min) + ".." + Durations.format(max));
                    }
                    ws();
                }
                expect(')', "')' to close delay(");
                return Task.delay(min, max);
            }
            case "hang": {
                int save = pos;
                ws();
                if (!eof() && peek() == '(') {
                    pos++;
                    ws();
                    long limit = duration();
                    ws();
                    expect(')', "')' to close hang(");
                    return Task.hang(limit);
                }
                pos = save;
                return Task.hang(Task.NO_LIMIT);
            }
            case "throw":
                return raise();
            default:
                throw error(start, word.isEmpty()
                        ? "expected an action: off, delay(..), hang or throw(..)"
                        : "unknown action '" + word + "': expected off, delay(..), hang or throw(..)");
        }
    }

    private Task raise() {
        expect('(', "'(' after throw");
        ws();
        int start = pos;
        while (!eof() && (Character.isJavaIdentifierPart(peek()) || peek() == '.')) {
            pos++;
        }
        String name = in.substring(start, pos);
        if (!isClassName(name)) {
            throw error(start, name.isEmpty() ? "expected an exception class name in throw(..)"
                    : "'" + name + "' is not a fully qualified class name");
        }
        ws();
        String message = null;
        if (!eof() && peek() == ',') {
            pos++;
            message = message();
        }
        ws();
        expect(')', "')' to close throw(");
        return Task.raise(name, message);
    }

    private String message() {
        ws();
        if (!eof() && peek() == '"') {
            int open = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (eof()) {
                    throw error(open, "unterminated quoted message");
                }
                char c = in.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && !eof()) {
                    c = in.charAt(pos++);
                }
                sb.append(c);
            }
        }
        // unquoted: up to the ')' that ends the term, so messages may hold commas and parentheses
        int start = pos;
        int close = -1;
        for (int i = pos; i < in.length(); i++) {
            if (in.charAt(i) == ')' && endsTermAt(i + 1)) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw error(in.length(), "expected ')' to close throw(");
        }
        pos = close;
        return in.substring(start, close).strip();
    }

    private boolean endsTermAt(int i) {
        while (i < in.length() && Character.isWhitespace(in.charAt(i))) {
            i++;
        }
        return i == in.length() || in.startsWith("->", i) || inConfig && in.charAt(i) == ';';
    }

    private static boolean isClassName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        for (String part : name.split("\\.")) {
            if (!Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
        }
        return true;
    }

    private String pattern() {
        int start = pos;
        while (!eof() && peek() != '=' && peek() != ';' && !Character.isWhitespace(peek())) {
            pos++;
        }
        if (pos == start) {
            throw error(start, "expected a point id or pattern");
        }
        return in.substring(start, pos);
    }

    private long duration() {
        int start = pos;
        if (eof() || !(Character.isDigit(peek()) || peek() == '.')) {
            throw error(start, "expected a duration such as 50ms");
        }
        BigDecimal number = number();
        int unitStart = pos;
        while (!eof() && Character.isLetter(peek())) {
            pos++;
        }
        String unit = in.substring(unitStart, pos);
        long unitNanos = Durations.unitNanos(unit);
        if (unitNanos < 0) {
            throw error(unitStart, "unknown unit '" + unit + "': use ns, us, ms, s or m");
        }
        BigDecimal nanos = number.multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw error(start, "duration is too long: " + in.substring(start, pos));
        }
        return nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private BigDecimal number() {
        int start = pos;
        while (!eof() && Character.isDigit(peek())) {
            pos++;
        }
        if (!eof() && peek() == '.' && !in.startsWith("..", pos)) {
            pos++;
            int fraction = pos;
            while (!eof() && Character.isDigit(peek())) {
                pos++;
            }
            if (fraction == pos) {
                throw error(start, "malformed number '" + in.substring(start, pos) + "'");
            }
        }
        if (start == pos || in.substring(start, pos).equals(".")) {
            throw error(start, "expected a number");
        }
        return new BigDecimal(in.substring(start, pos));
    }

    private void expect(char c, String what) {
        ws();
        if (eof() || peek() != c) {
            throw error(pos, "expected " + what);
        }
        pos++;
    }

    private void ws() {
        while (!eof() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean eof() {
        return pos >= in.length();
    }

    private char peek() {
        return in.charAt(pos);
    }

    private ChaosConfigException error(int at, String reason) {
        return new ChaosConfigException(in, at + 1, reason);
    }
}
