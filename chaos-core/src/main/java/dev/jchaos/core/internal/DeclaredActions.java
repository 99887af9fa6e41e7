package dev.jchaos.core.internal;

import java.math.BigDecimal;

/**
 * The one validator of {@code @InjectDelay}'s action attributes ({@code ms}, {@code jitterMs}, {@code probability},
 * {@code times}), shared by the weaver (a point's declared defaults) and chaos-junit (a test's activation).
 */
public final class DeclaredActions {

    private DeclaredActions() {
    }

    /**
     * The attributes as action text, {@code [p%][times*]delay(ms[..ms+jitterMs])}; {@code off} when no call can be
     * delayed ({@code probability = 0} or {@code times = 0}).
     *
     * @throws IllegalArgumentException naming the attribute, as {@code @InjectDelay(ms) must not be negative but was -1}
     */
    public static String text(long ms, long jitterMs, double probability, int times) {
        if (ms < 0) {
            throw new IllegalArgumentException("@InjectDelay(ms) must not be negative but was " + ms);
        }
        if (jitterMs < 0) {
            throw new IllegalArgumentException("@InjectDelay(jitterMs) must not be negative but was " + jitterMs);
        }
        if (ms > Long.MAX_VALUE / 1_000_000 - jitterMs) {
            throw new IllegalArgumentException("@InjectDelay(ms + jitterMs) must be at most "
                    + Long.MAX_VALUE / 1_000_000 + " but was " + ms + " + " + jitterMs);
        }
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("@InjectDelay(probability) must be within 0.0..1.0 but was "
                    + probability);
        }
        if (times < -1) {
            throw new IllegalArgumentException("@InjectDelay(times) must be -1 (unlimited), 0 (off) or more but was "
                    + times);
        }
        if (probability == 0.0 || times == 0) {
            return "off";
        }
        StringBuilder out = new StringBuilder();
        if (probability < 1.0) {
            out.append(BigDecimal.valueOf(probability).movePointRight(2).stripTrailingZeros().toPlainString())
                    .append('%');
        }
        if (times > 0) {
            out.append(times).append('*');
        }
        out.append("delay(").append(ms).append("ms");
        if (jitterMs > 0) {
            out.append("..").append(ms + jitterMs).append("ms");
        }
        return out.append(')').toString();
    }
}
