package dev.jchaos.junit;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What the controller held before a test (activations, seed, master switch), taken when the test's own
 * {@code @InjectDelay}s are applied and put back exactly when it ends: points active from {@code jchaos.points},
 * JMX or another extension are active again afterwards, and unchanged ones are never disturbed.
 */
final class ChaosState {

    private final Map<String, String> activations;
    private final long seed;
    private final boolean enabled;

    private ChaosState(Map<String, String> activations, long seed, boolean enabled) {
        this.activations = activations;
        this.seed = seed;
        this.enabled = enabled;
    }

    /**
     * Applies {@code wanted} on top of what is active ({@code exact}: in place of it) with {@code seed}, and turns
     * the master switch on. On bad input nothing is applied.
     *
     * @return what to restore when the test ends
     * @throws ExtensionConfigurationException naming the {@code @InjectDelay} that was rejected
     */
    static ChaosState enter(List<DelayActivation> wanted, long seed, boolean exact) {
        ChaosController controller = Chaos.controller();
        ChaosState before = new ChaosState(new LinkedHashMap<>(controller.activations()), controller.seed(),
                controller.isEnabled());
        Map<String, String> next = exact ? new LinkedHashMap<>() : new LinkedHashMap<>(before.activations);
        for (DelayActivation activation : wanted) {
            // the newest activation of a pattern wins, as with ChaosController.activate
            next.remove(activation.pattern());
            next.put(activation.pattern(), activation.actions());
        }
        try {
            controller.setActivations(next);
        } catch (IllegalArgumentException e) {
            // the message says all there is; the validator's stack is jchaos's own business
            throw new ExtensionConfigurationException("@InjectDelay on " + culprit(wanted, e) + " is invalid: "
                    + e.getMessage());
        }
        controller.setSeed(seed);
        controller.setEnabled(true);
        return before;
    }

    /** Puts back what was there before the test; held threads of the test's activations are released. */
    void restore() {
        ChaosController controller = Chaos.controller();
        controller.setActivations(activations);
        controller.setEnabled(enabled);
        if (controller.seed() != seed) {
            controller.setSeed(seed);
        }
    }

    private static String culprit(List<DelayActivation> wanted, IllegalArgumentException e) {
        String input = e instanceof ChaosConfigException ? ((ChaosConfigException) e).input() : null;
        for (DelayActivation activation : wanted) {
            if (input != null && (input.equals(activation.pattern()) || input.equals(activation.actions()))) {
                return activation.origin();
            }
        }
        for (DelayActivation activation : wanted) {
            if (e.getMessage() != null && e.getMessage().contains(activation.pattern())) {
                return activation.origin();
            }
        }
        StringBuilder all = new StringBuilder();
        for (DelayActivation activation : wanted) {
            all.append(all.length() == 0 ? "" : " or ").append(activation.origin());
        }
        return all.toString();
    }
}
