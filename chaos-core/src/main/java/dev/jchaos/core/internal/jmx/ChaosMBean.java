package dev.jchaos.core.internal.jmx;

import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.PointSnapshot;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;
import dev.jchaos.core.internal.Durations;
import dev.jchaos.core.internal.Log;
import dev.jchaos.core.internal.threads.LiveThreads;

import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.management.AttributeChangeNotification;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/** The controller's MXBean; every change emits a notification. */
public final class ChaosMBean extends NotificationBroadcasterSupport implements ChaosControllerMXBean {

    /** {@code dev.jchaos:type=ChaosController}. */
    public static final String NAME = "dev.jchaos:type=ChaosController";
    /** Notification type of activations, deactivations, reloads, seed and ttl events. */
    public static final String CHANGE = "dev.jchaos.change";
    /** Notification type of a halt: a halt condition was breached, the kill switch pulled and chaos switched off. */
    public static final String HALT = "dev.jchaos.halt";

    private final ChaosController controller;
    private final Races races;
    private final Supplier<String> threads;
    private final AtomicLong sequence = new AtomicLong();

    ChaosMBean(ChaosController controller, Races races) {
        this(controller, races, LiveThreads::dump);
    }

    ChaosMBean(ChaosController controller, Races races, Supplier<String> threads) {
        super(new MBeanNotificationInfo[] {
            new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                    AttributeChangeNotification.class.getName(), "the Enabled switch changed"),
            new MBeanNotificationInfo(new String[] {CHANGE}, Notification.class.getName(),
                    "points activated or deactivated, settings reloaded, seed changed, ttl expired"),
            new MBeanNotificationInfo(new String[] {HALT}, Notification.class.getName(),
                    "a halt condition was breached: kill switch pulled, Enabled off; the message says which")});
        this.controller = controller;
        this.races = races;
        this.threads = threads;
    }

    /**
     * Registers an MBean of {@code controller} on {@code server}; failures are logged, never thrown.
     *
     * @return the registered MBean, or null when another copy registered first or registration failed
     */
    public static ChaosMBean register(MBeanServer server, ChaosController controller, Races races) {
        try {
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                return null;
            }
            ChaosMBean bean = new ChaosMBean(controller, races);
            server.registerMBean(bean, name);
            return bean;
        } catch (InstanceAlreadyExistsException e) {
            return null; // another copy of jchaos registered first: it is the one controller
        } catch (Exception | LinkageError e) {
            Log.warn("could not register the " + NAME + " MBean", e);
            return null;
        }
    }

    /** Announces a change of the controller as a JMX notification. */
    public void emit(String type, String description) {
        long seq = sequence.incrementAndGet();
        long now = System.currentTimeMillis();
        Notification n;
        if ("enabled".equals(type)) {
            boolean on = Boolean.parseBoolean(description);
            n = new AttributeChangeNotification(NAME, seq, now, "Enabled changed to " + on, "Enabled", "boolean",
                    !on, on);
        } else if ("halt".equals(type)) {
            n = new Notification(HALT, NAME, seq, now, "halted: " + description);
            n.setUserData(description);
        } else {
            n = new Notification(CHANGE, NAME, seq, now, type + ": " + description);
            n.setUserData(type);
        }
        sendNotification(n);
    }

    @Override
    public boolean isEnabled() {
        return controller.isEnabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        controller.setEnabled(enabled);
    }

    @Override
    public String[] getActivePoints() {
        return controller.points().stream().filter(p -> p.actions() != null).map(p -> p.id() + "=" + p.actions())
                .toArray(String[]::new);
    }

    @Override
    public PointInfo[] getPoints() {
        List<PointSnapshot> points = controller.points();
        PointInfo[] result = new PointInfo[points.size()];
        for (int i = 0; i < result.length; i++) {
            PointSnapshot p = points.get(i);
            result[i] = new PointInfo(p.id(), p.declaredBy(), p.actions() == null ? "" : p.actions(), p.calls(),
                    p.injections(), p.injectedNanos(), p.inFlight());
        }
        return result;
    }

    @Override
    public String[] getActivations() {
        Map<String, String> activations = controller.activations();
        return activations.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    @Override
    public String[] getRaces() {
        return races.violations().stream().map(RaceViolation::line).toArray(String[]::new);
    }

    @Override
    public long getSeed() {
        return controller.seed();
    }

    @Override
    public void activate(String pattern, String actions) {
        try {
            controller.activate(pattern, actions);
        } catch (ChaosConfigException e) {
            throw plain(e);
        }
    }

    @Override
    public void deactivate(String pattern) {
        try {
            controller.deactivate(pattern);
        } catch (ChaosConfigException e) {
            throw plain(e);
        }
    }

    @Override
    public void deactivateAll() {
        controller.deactivateAll();
    }

    @Override
    public void reload() {
        try {
            controller.reloadFromSystemProperties();
        } catch (ChaosConfigException e) {
            throw plain(e);
        }
    }

    @Override
    public String getHaltWhen() {
        return controller.haltWhen();
    }

    @Override
    public void setHaltWhen(String conditions) {
        try {
            controller.setHaltWhen(conditions);
        } catch (ChaosConfigException e) {
            throw plain(e);
        }
    }

    @Override
    public String getTtl() {
        Duration ttl = controller.ttl();
        return ttl.isZero() ? "" : Durations.format(ttl.toNanos());
    }

    @Override
    public void setTtl(String ttl) {
        try {
            String text = ttl == null ? "" : ttl.strip();
            controller.setTtl(text.isEmpty() || text.equals("0") ? Duration.ZERO
                    : Duration.ofNanos(Durations.parse(text)));
        } catch (ChaosConfigException e) {
            throw plain(new ChaosConfigException(e.input(), e.column(), "Ttl: " + e.reason()));
        }
    }

    @Override
    public String threads() {
        try {
            return threads.get();
        } catch (RuntimeException | LinkageError e) {
            Log.warn("could not dump the threads", e);
            throw new IllegalStateException("could not dump the threads: " + e);
        }
    }

    /** A JDK exception type, so that jconsole and scripts without jchaos on their class path can read it. */
    private static IllegalArgumentException plain(ChaosConfigException e) {
        return new IllegalArgumentException(e.getMessage());
    }
}
