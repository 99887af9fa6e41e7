package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A view of the controller owned by another copy of jchaos in this JVM (another class loader), reached through the
 * hub's {@link Channel}. It starts no thread and registers nothing: every call is the controlling copy's.
 */
public final class ForeignController implements ChaosController {

    private final BooleanSupplier isEnabled;
    private final Consumer<Boolean> setEnabled;
    private final BiConsumer<String, String> activate;
    private final Consumer<String> deactivate;
    private final Runnable deactivateAll;
    private final Runnable reload;
    private final Supplier<List<Object[]>> points;
    private final Supplier<Map<String, String>> activations;
    private final Consumer<Map<String, String>> setActivations;
    private final LongSupplier seed;
    private final LongConsumer setSeed;
    private final Supplier<String> haltWhen;
    private final Consumer<String> setHaltWhen;
    private final LongSupplier ttlNanos;
    private final LongConsumer setTtlNanos;

    @SuppressWarnings("unchecked")
    ForeignController(Map<String, Object> ops) {
        this.isEnabled = (BooleanSupplier) ops.get("isEnabled");
        this.setEnabled = (Consumer<Boolean>) ops.get("setEnabled");
        this.activate = (BiConsumer<String, String>) ops.get("activate");
        this.deactivate = (Consumer<String>) ops.get("deactivate");
        this.deactivateAll = (Runnable) ops.get("deactivateAll");
        this.reload = (Runnable) ops.get("reload");
        this.points = (Supplier<List<Object[]>>) ops.get("points");
        this.activations = (Supplier<Map<String, String>>) ops.get("activations");
        this.setActivations = (Consumer<Map<String, String>>) ops.get("setActivations");
        this.seed = (LongSupplier) ops.get("seed");
        this.setSeed = (LongConsumer) ops.get("setSeed");
        this.haltWhen = (Supplier<String>) ops.get("haltWhen");
        this.setHaltWhen = (Consumer<String>) ops.get("setHaltWhen");
        this.ttlNanos = (LongSupplier) ops.get("ttlNanos");
        this.setTtlNanos = (LongConsumer) ops.get("setTtlNanos");
    }

    /**
     * The other copy's {@code ChaosConfigException} is a class of its loader: rebuilt here as this copy's own, so
     * callers catch the type they know.
     */
    static RuntimeException translated(IllegalArgumentException e) {
        if (e instanceof ChaosConfigException || !e.getClass().getName().equals(ChaosConfigException.class.getName())) {
            return e;
        }
        try {
            Method input = e.getClass().getMethod("input");
            Method column = e.getClass().getMethod("column");
            Method reason = e.getClass().getMethod("reason");
            ChaosConfigException own = new ChaosConfigException((String) input.invoke(e), (Integer) column.invoke(e),
                    (String) reason.invoke(e));
            own.setStackTrace(e.getStackTrace());
            return own;
        } catch (ReflectiveOperationException | RuntimeException reflection) {
            return e;
        }
    }

    @Override
    public boolean isEnabled() {
        return isEnabled.getAsBoolean();
    }

    @Override
    public void setEnabled(boolean enabled) {
        setEnabled.accept(enabled);
    }

    @Override
    public void activate(String pattern, String actions) {
        try {
            activate.accept(pattern, actions);
        } catch (IllegalArgumentException e) {
            throw translated(e);
        }
    }

    @Override
    public void deactivate(String pattern) {
        try {
            deactivate.accept(pattern);
        } catch (IllegalArgumentException e) {
            throw translated(e);
        }
    }

    @Override
    public void deactivateAll() {
        deactivateAll.run();
    }

    @Override
    public void reloadFromSystemProperties() {
        try {
            reload.run();
        } catch (IllegalArgumentException e) {
            throw translated(e);
        }
    }

    @Override
    public List<PointSnapshot> points() {
        List<PointSnapshot> result = new ArrayList<>();
        for (Object[] row : points.get()) {
            result.add(new PointSnapshot((String) row[0], (String) row[1], (String) row[2], (Long) row[3],
                    (Long) row[4], (Long) row[5], (Integer) row[6]));
        }
        return result;
    }

    @Override
    public Map<String, String> activations() {
        return activations.get();
    }

    @Override
    public void setActivations(Map<String, String> wanted) {
        try {
            setActivations.accept(new LinkedHashMap<>(wanted));
        } catch (IllegalArgumentException e) {
            throw translated(e);
        }
    }

    @Override
    public long seed() {
        return seed.getAsLong();
    }

    @Override
    public void setSeed(long newSeed) {
        setSeed.accept(newSeed);
    }

    @Override
    public String haltWhen() {
        return require(haltWhen, "haltWhen").get();
    }

    @Override
    public void setHaltWhen(String conditions) {
        try {
            require(setHaltWhen, "setHaltWhen").accept(conditions);
        } catch (IllegalArgumentException e) {
            throw translated(e);
        }
    }

    @Override
    public java.time.Duration ttl() {
        return java.time.Duration.ofNanos(require(ttlNanos, "ttl").getAsLong());
    }

    @Override
    public void setTtl(java.time.Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative but was " + ttl);
        }
        require(setTtlNanos, "setTtl").accept(ttl.toNanos());
    }

    /** An operation an older controlling copy does not offer. */
    private static <T> T require(T op, String name) {
        if (op == null) {
            throw new UnsupportedOperationException("the copy of jchaos that controls this JVM is older and has no "
                    + name + "; use the same jchaos version everywhere");
        }
        return op;
    }
}
