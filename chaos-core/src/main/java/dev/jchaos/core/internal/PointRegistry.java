package dev.jchaos.core.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Points by id and their woven methods by class loader. Registration runs inside class loading (the weaver calls it
 * before a woven class is defined), so it takes no lock that application code or a change can hold while loading
 * classes, and point listeners (metrics) hear of a new point later on a {@code jchaos-events} thread, never on the
 * loading thread (the points known when a listener is added are delivered on the thread that adds it).
 */
final class PointRegistry {

    private final Engine engine;
    private final ConcurrentHashMap<String, Point> points = new ConcurrentHashMap<>();
    /** Woven methods by loader, then by {@code className#method+descriptor}; guarded by itself. */
    private final Map<ClassLoader, Map<String, Declaration>> byLoader = new WeakHashMap<>();
    /** Hub keys handed out for methods about to be woven, by loader and method; guarded by byLoader. */
    private final Map<ClassLoader, Map<String, Long>> numbersByLoader = new WeakHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    private final ReferenceQueue<ClassLoader> goneLoaders = new ReferenceQueue<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Made when first needed: a JVM whose points nobody listens to never starts its thread. */
    private volatile ThreadPoolExecutor events;
    private volatile HubLink hub;

    PointRegistry(Engine engine) {
        this.engine = engine;
    }

    private ThreadPoolExecutor events() {
        ThreadPoolExecutor e = events;
        if (e == null) {
            synchronized (listeners) {
                e = events;
                if (e == null) {
                    e = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                            Threads.factory("events"));
                    e.allowCoreThreadTimeOut(true);
                    events = e;
                }
            }
        }
        return e;
    }

    void attach(HubLink link) {
        this.hub = link;
    }

    Point get(String id) {
        return points.get(id);
    }

    Collection<Point> all() {
        return points.values();
    }

    /**
     * The hub key of a method about to be woven: the same for the same method of the same class in the same loader,
     * so weaving a class again keeps its call sites.
     */
    String keyFor(ClassLoader loader, String className, String methodKey) {
        return dev.jchaos.core.internal.agent.WovenCode.KEY_PREFIX + number(loader, className + "#" + methodKey);
    }

    private long number(ClassLoader loader, String key) {
        // plain lookups, no lambdas: this runs while the first woven class loads, often before main
        synchronized (byLoader) {
            Map<String, Long> own = numbersByLoader.get(loader);
            if (own == null) {
                own = new java.util.HashMap<>();
                numbersByLoader.put(loader, own);
            }
            Long number = own.get(key);
            if (number == null) {
                number = numbers.incrementAndGet();
                own.put(key, number);
            }
            return number;
        }
    }

    /**
     * Registers a woven method of point {@code id} (weaving the same method again returns its declaration), creating
     * the point when it is new, and publishes its call sites to the hub.
     */
    Declaration declare(String id, String method, Program defaults, ClassLoader loader, String className,
                        String methodKey, List<String> exceptions) {
        reclaim();
        Point point = points.get(id);
        boolean created = false;
        if (point == null) {
            Point fresh = new Point(engine, id, defaults);
            point = points.putIfAbsent(id, fresh);
            if (point == null) {
                point = fresh;
                created = true;
            }
        }
        Declaration declaration;
        synchronized (byLoader) {
            Map<String, Declaration> own = byLoader.get(loader);
            if (own == null) {
                own = new ConcurrentHashMap<>();
                byLoader.put(loader, own);
            }
            String key = className + "#" + methodKey;
            declaration = own.get(key);
            if (declaration != null && declaration.point == point) {
                return declaration;
            }
            declaration = new Declaration(point, number(loader, key), method, className, loader, exceptions,
                    goneLoaders);
            own.put(key, declaration);
        }
        HubLink link = hub;
        if (link != null) {
            link.publish(declaration.key, declaration.enterSite, declaration.exitSite);
        }
        point.add(declaration, defaults);
        if (created) {
            announce(point);
        }
        return declaration;
    }

    /** Forgets woven methods whose class loader was collected (an undeployed web application's). */
    private void reclaim() {
        HubLink link = hub;
        for (Reference<? extends ClassLoader> ref = goneLoaders.poll(); ref != null; ref = goneLoaders.poll()) {
            Declaration d = ((Declaration.LoaderRef) ref).declaration;
            d.point.drop(d);
            if (link != null) {
                link.withdraw(d.key);
            }
        }
    }

    /**
     * Calls {@code listener} once for every point: for the points known now on the calling thread, before this
     * returns (meters bound at start-up exist once {@code bindTo} returns), and for later ones on the
     * {@code jchaos-events} thread, never on the class-loading thread that registered them.
     */
    void addListener(Consumer<? super Point> listener) {
        Listener l = new Listener(listener);
        listeners.add(l);
        for (Point p : points.values()) {
            l.accept(p);
        }
    }

    private void announce(Point point) {
        // the point is in the map already: a listener added after this check finds it there (addListener)
        if (listeners.isEmpty()) {
            return;
        }
        try {
            events().execute(() -> {
                for (Listener l : listeners) {
                    l.accept(point);
                }
            });
        } catch (RuntimeException e) {
            Guard.failed("announcing point " + point.id, e);
        }
    }

    /** Waits until every announcement made so far has been delivered (tests, and readers that need meters now). */
    void drain() {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        events().execute(done::countDown);
        try {
            done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A listener that sees each point once, however registration and announcements interleave. */
    private static final class Listener {
        private final Consumer<? super Point> delegate;
        /** The points delivered; guarded by this listener. */
        private final Set<String> seen = new HashSet<>();

        Listener(Consumer<? super Point> delegate) {
            this.delegate = delegate;
        }

        /**
         * Synchronized: one delivery at a time per listener, whichever thread makes it, and one that finds a point
         * taken by the other thread waits until its delivery is complete (so {@code addListener} returns only once
         * every known point has been delivered).
         */
        synchronized void accept(Point p) {
            if (seen.add(p.id)) {
                try {
                    delegate.accept(p);
                } catch (RuntimeException | LinkageError e) {
                    Guard.failed("a point listener (" + delegate.getClass().getName() + ")", e);
                }
            }
        }
    }

    List<Point> snapshot() {
        return new ArrayList<>(points.values());
    }
}
