package dev.jchaos.junit;

import dev.jchaos.annotations.InjectDelay;
import java.math.BigDecimal;

/**
 * One {@code @InjectDelay} on a test, turned into a pattern and actions in the action language
 * ({@code [p%][n*]delay(ms[..ms+jitter])}).
 *
 * @param pattern the point id or glob, or the {@code fqcn#method} target
 * @param actions the actions to activate it with
 * @param origin  where the annotation sits, for error messages
 */
record DelayActivation(String pattern, String actions, String origin) {

    /** Validates {@code delay} and converts it; a bad attribute is named in the exception. */
    static DelayActivation of(InjectDelay delay, String origin) {
        String where = " (on " + origin + ")";
        if (delay.ms() < 0) {
            throw new IllegalArgumentException("@InjectDelay(ms) must not be negative but was " + delay.ms() + where);
        }
        if (delay.jitterMs() < 0) {
            throw new IllegalArgumentException("@InjectDelay(jitterMs) must not be negative but was "
                    + delay.jitterMs() + where);
        }
        double p = delay.probability();
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("@InjectDelay(probability) must be within 0.0..1.0 but was " + p
                    + where);
        }
        if (delay.times() < -1) {
            throw new IllegalArgumentException("@InjectDelay(times) must be -1 (unlimited) or at least 0 but was "
                    + delay.times() + where);
        }
        String value = delay.value().trim();
        String target = delay.target().trim();
        if (value.isEmpty() == target.isEmpty()) {
            throw new IllegalArgumentException("@InjectDelay on a test needs exactly one of value (a point id or glob)"
                    + " and target (fqcn#method) but had value=\"" + delay.value() + "\", target=\""
                    + delay.target() + "\"" + where);
        }
        if (!target.isEmpty() && (target.indexOf('#') <= 0 || target.endsWith("#"))) {
            throw new IllegalArgumentException("@InjectDelay(target) must be fqcn#method but was \"" + target + "\""
                    + where);
        }
        return new DelayActivation(target.isEmpty() ? value : target, actions(delay), origin);
    }

    static String actions(InjectDelay delay) {
        if (delay.probability() == 0.0 || delay.times() == 0) {
            return "off";
        }
        StringBuilder out = new StringBuilder();
        if (delay.probability() < 1.0) {
            out.append(BigDecimal.valueOf(delay.probability()).movePointRight(2).stripTrailingZeros()
                    .toPlainString()).append('%');
        }
        if (delay.times() > 0) {
            out.append(delay.times()).append('*');
        }
        out.append("delay(").append(delay.ms()).append("ms");
        if (delay.jitterMs() > 0) {
            out.append("..").append(delay.ms() + delay.jitterMs()).append("ms");
        }
        return out.append(')').toString();
    }
}
