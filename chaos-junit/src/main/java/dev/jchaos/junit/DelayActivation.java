package dev.jchaos.junit;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.core.Chaos;

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
        String actions;
        try {
            actions = Chaos.declaredActions(delay);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + where);
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
        return new DelayActivation(target.isEmpty() ? value : target, actions, origin);
    }
}
