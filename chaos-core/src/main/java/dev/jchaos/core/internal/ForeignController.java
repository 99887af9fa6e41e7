package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A view of the controller owned by another copy of jchaos in this JVM (another class loader), reached through the
 * bootstrap hub's command channel with JDK types only.
 */
public final class ForeignController implements ChaosController {

    private final BiFunction<String, Object[], Object> channel;

    private ForeignController(BiFunction<String, Object[], Object> channel) {
        this.channel = channel;
    }

    @SuppressWarnings("unchecked")
    public static ForeignController of(Object channel) {
        return new ForeignController((BiFunction<String, Object[], Object>) channel);
    }

    private Object call(String command, Object... args) {
        Object result = channel.apply(command, args);
        if (result instanceof Object[]) {
            Object[] error = (Object[]) result;
            if (error.length == 4 && "ChaosConfigException".equals(error[0])) {
                throw new ChaosConfigException((String) error[1], (Integer) error[2], (String) error[3]);
            }
        }
        return result;
    }

    @Override
    public boolean isEnabled() {
        return (Boolean) call("isEnabled");
    }

    @Override
    public void setEnabled(boolean enabled) {
        call("setEnabled", enabled);
    }

    @Override
    public void activate(String pattern, String actions) {
        call("activate", pattern, actions);
    }

    @Override
    public void deactivate(String pattern) {
        call("deactivate", pattern);
    }

    @Override
    public void deactivateAll() {
        call("deactivateAll");
    }

    @Override
    public void reloadFromSystemProperties() {
        call("reload");
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<PointSnapshot> points() {
        List<PointSnapshot> result = new ArrayList<>();
        for (Object[] row : (List<Object[]>) call("points")) {
            result.add(new PointSnapshot((String) row[0], (String) row[1], (String) row[2], (Long) row[3],
                    (Long) row[4], (Long) row[5], (Integer) row[6]));
        }
        return result;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> activations() {
        return (Map<String, String>) call("activations");
    }

    @Override
    public void setActivations(Map<String, String> activations) {
        call("setActivations", new java.util.LinkedHashMap<>(activations));
    }

    @Override
    public long seed() {
        return (Long) call("seed");
    }

    @Override
    public void setSeed(long seed) {
        call("setSeed", seed);
    }
}
