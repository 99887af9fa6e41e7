package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When chaos stops itself: {@code cond (';' cond)*}, {@code cond := metric ('>'|'<') number}, with the metrics
 * {@code threads.growth}, {@code inflight}, {@code timeout.rate} (the highest rate of any source) and
 * {@code timeout.rate[<source>]}. Immutable; parsed once, checked every second while chaos is armed.
 */
final class HaltConditions {

    static final HaltConditions NONE = new HaltConditions(List.of());

    /** What the conditions read. */
    interface Readings {
        long threadGrowth();

        long inFlight();

        /** The 60-second timeout rate of {@code source}, 0 when it is unknown. */
        double timeoutRate(String source);

        /** Every timeout source's name. */
        List<String> timeoutSources();
    }

    enum Metric {
        THREADS_GROWTH("threads.growth"), INFLIGHT("inflight"), TIMEOUT_RATE("timeout.rate");

        final String word;

        Metric(String word) {
            this.word = word;
        }
    }

    /** One condition; {@code source} is null for {@code timeout.rate} of any source and for the other metrics. */
    record Condition(Metric metric, String source, boolean above, BigDecimal threshold) {

        @Override
        public String toString() {
            return name() + (above ? ">" : "<") + threshold.toPlainString();
        }

        String name() {
            return metric.word + (source == null ? "" : "[" + source + "]");
        }

        /** The breach as the halt line says it, such as {@code threads.growth 231 > 200}; null when there is none. */
        String breach(Readings readings) {
            switch (metric) {
                case THREADS_GROWTH:
                    return compare(name(), readings.threadGrowth());
                case INFLIGHT:
                    return compare(name(), readings.inFlight());
                default:
                    if (source != null) {
                        return compare(name(), readings.timeoutRate(source));
                    }
                    String worst = null;
                    double highest = 0;
                    for (String s : readings.timeoutSources()) {
                        double rate = readings.timeoutRate(s);
                        if (worst == null || rate > highest) {
                            worst = s;
                            highest = rate;
                        }
                    }
                    String breach = compare(name(), highest);
                    return breach == null || worst == null ? breach : breach + " (source " + worst + ")";
            }
        }

        private String compare(String name, long value) {
            int c = BigDecimal.valueOf(value).compareTo(threshold);
            return (above ? c > 0 : c < 0) ? name + " " + value + (above ? " > " : " < ") + threshold.toPlainString()
                    : null;
        }

        private String compare(String name, double value) {
            int c = Double.compare(value, threshold.doubleValue());
            return (above ? c > 0 : c < 0)
                    ? name + " " + String.format(Locale.ROOT, "%.3f", value) + (above ? " > " : " < ")
                    + threshold.toPlainString()
                    : null;
        }
    }

    final List<Condition> conditions;

    private HaltConditions(List<Condition> conditions) {
        this.conditions = List.copyOf(conditions);
    }

    boolean isEmpty() {
        return conditions.isEmpty();
    }

    /** The first breached condition, as the halt line says it, or null. */
    String breach(Readings readings) {
        for (Condition c : conditions) {
            String breach = c.breach(readings);
            if (breach != null) {
                return breach;
            }
        }
        return null;
    }

    /** The canonical text, {@code threads.growth>200;timeout.rate[point:x]>0.5}; empty for none. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Condition c : conditions) {
            sb.append(sb.length() == 0 ? "" : ";").append(c);
        }
        return sb.toString();
    }

    /**
     * Parses conditions; null or blank text is none.
     *
     * @throws ChaosConfigException quoting the text and pointing at the column
     */
    static HaltConditions parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        return new Parser(text).conditions();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        HaltConditions conditions() {
            List<Condition> result = new ArrayList<>();
            while (true) {
                result.add(condition());
                skipSpaces();
                if (pos == text.length()) {
                    return new HaltConditions(result);
                }
                if (text.charAt(pos) != ';') {
                    throw error("expected ';' between conditions");
                }
                pos++;
            }
        }

        private Condition condition() {
            skipSpaces();
            int start = pos;
            while (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String word = text.substring(start, pos);
            Metric metric = null;
            for (Metric m : Metric.values()) {
                if (m.word.equals(word)) {
                    metric = m;
                }
            }
            if (metric == null) {
                pos = start;
                throw error(word.isEmpty() ? "expected a metric: threads.growth, inflight, timeout.rate or "
                        + "timeout.rate[<source>]" : "unknown metric '" + word + "': use threads.growth, inflight, "
                        + "timeout.rate or timeout.rate[<source>]");
            }
            String source = null;
            if (pos < text.length() && text.charAt(pos) == '[') {
                if (metric != Metric.TIMEOUT_RATE) {
                    throw error("only timeout.rate takes a [source]");
                }
                int close = text.indexOf(']', pos);
                if (close < 0) {
                    pos = text.length();
                    throw error("expected ']' after the source");
                }
                source = text.substring(pos + 1, close).strip();
                if (source.isEmpty()) {
                    pos++;
                    throw error("expected a source name such as point:com.acme.Pricing#quote");
                }
                pos = close + 1;
            }
            skipSpaces();
            if (pos >= text.length() || (text.charAt(pos) != '>' && text.charAt(pos) != '<')) {
                throw error("expected '>' or '<' after " + word);
            }
            boolean above = text.charAt(pos) == '>';
            pos++;
            skipSpaces();
            int numberStart = pos;
            if (pos < text.length() && text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            BigDecimal threshold;
            try {
                threshold = new BigDecimal(text.substring(numberStart, pos));
            } catch (NumberFormatException e) {
                pos = numberStart;
                throw error("expected a number such as 200 or 0.5");
            }
            if (metric == Metric.TIMEOUT_RATE && (threshold.signum() < 0 || threshold.compareTo(BigDecimal.ONE) > 0)) {
                pos = numberStart;
                throw error("a timeout rate is a ratio from 0 to 1");
            }
            return new Condition(metric, source, above, threshold);
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private ChaosConfigException error(String reason) {
            return new ChaosConfigException(text, pos + 1, reason);
        }
    }
}
