package dev.jchaos.core.internal.races;

import dev.jchaos.core.internal.Glob;
import dev.jchaos.core.internal.Guard;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every watched call site of the JVM, linked by the hub's race bootstrap. A site runs the original call unchanged
 * until a watch covers its class; then it first tells the tracker, and calls that hand out views or iterators also
 * note which collection they came from. Unwatched again, it runs the original call again.
 */
final class RaceSites {

    static final RaceSites INSTANCE = new RaceSites();

    private static final MethodHandle ENTER;
    private static final MethodHandle REMEMBER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENTER = lookup.findStatic(RaceSites.class, "enter",
                    MethodType.methodType(void.class, Object.class, Site.class));
            REMEMBER = lookup.findStatic(RaceSites.class, "remember",
                    MethodType.methodType(Object.class, Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentHashMap<String, Site> byKey = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Site> byId = new CopyOnWriteArrayList<>();
    private volatile RaceTracker tracker;
    private volatile List<Glob> watched = List.of();
    /** Sites to hold at, by name, that may link later. */
    private volatile List<String> holdAt = List.of();

    private RaceSites() {
    }

    /** The hub's race bootstrap, from {name, type, original, site}. */
    CallSite link(Object[] request) {
        String name = (String) request[0];
        MethodType type = (MethodType) request[1];
        MethodHandle original = ((MethodHandle) request[2]).asType(type);
        String where = (String) request[3];
        Site site = site(where, name);
        MethodHandle watchedCall = watchedCall(name, type, original, site);
        MutableCallSite callSite = new MutableCallSite(covered(site) ? watchedCall : original);
        site.links.add(new Site.Link(callSite, original, watchedCall));
        return callSite;
    }

    private Site site(String where, String operation) {
        return byKey.computeIfAbsent(operation + "@" + where, k -> {
            synchronized (byId) {
                Site s = new Site(byId.size(), where, operation);
                byId.add(s);
                if (tracker != null && holdAt.contains(where)) {
                    s.hold = true;
                }
                return s;
            }
        });
    }

    Site byId(int id) {
        return byId.get(id);
    }

    private boolean covered(Site site) {
        if (tracker == null) {
            return false;
        }
        for (Glob glob : watched) {
            if (glob.matches(site.className)) {
                return true;
            }
        }
        return false;
    }

    private static MethodHandle watchedCall(String name, MethodType type, MethodHandle original, Site site) {
        MethodHandle enter = MethodHandles.insertArguments(ENTER, 1, site)
                .asType(MethodType.methodType(void.class, type.parameterType(0)));
        MethodHandle call = MethodHandles.foldArguments(original, enter);
        if (!Watched.returnsView(name) || type.returnType().isPrimitive()) {
            return call;
        }
        // (receiver, args...) -> remember(call(receiver, args...), receiver)
        MethodHandle remember = REMEMBER.asType(MethodType.methodType(type.returnType(), type.returnType(),
                type.parameterType(0)));
        MethodHandle combined = MethodHandles.collectArguments(remember, 0, call);
        int[] order = new int[type.parameterCount() + 1];
        for (int i = 0; i < type.parameterCount(); i++) {
            order[i] = i;
        }
        order[type.parameterCount()] = 0;
        return MethodHandles.permuteArguments(combined, type, order);
    }

    /** Starts {@code next} watching the classes of {@code globs}, holding at {@code holdSites}. */
    synchronized void activate(RaceTracker next, List<Glob> globs, List<String> holdSites) {
        for (Site s : byId) {
            s.reset();
            s.hold = holdSites.contains(s.where);
        }
        holdAt = List.copyOf(holdSites);
        watched = List.copyOf(globs);
        tracker = next;
        retarget();
    }

    /** Stops watching: every site runs its original call again. */
    synchronized void deactivate() {
        tracker = null;
        retarget();
        for (Site s : byId) {
            s.reset();
        }
    }

    private void retarget() {
        List<MutableCallSite> changed = new ArrayList<>();
        for (Site s : byId) {
            boolean on = covered(s);
            for (Site.Link link : s.links) {
                MutableCallSite callSite = link.callSite.get();
                if (callSite == null) {
                    s.links.remove(link);
                    continue;
                }
                callSite.setTarget(on ? link.watched : link.original);
                changed.add(callSite);
            }
        }
        if (!changed.isEmpty()) {
            MutableCallSite.syncAll(changed.toArray(new MutableCallSite[0]));
        }
    }

    @SuppressWarnings("unused") // reached through ENTER
    private static void enter(Object receiver, Site site) {
        RaceTracker t = INSTANCE.tracker;
        if (t == null || receiver == null) {
            return; // a null receiver: the original call throws its own NullPointerException
        }
        try {
            Watched.Kind kind = Watched.kind(receiver.getClass());
            if (kind != Watched.Kind.NONE) {
                t.access(kind == Watched.Kind.VIEW ? t.owners.ownerOf(receiver) : receiver, site);
            }
        } catch (Throwable bug) {
            Guard.failed("a watched call at " + site.where, bug);
        }
    }

    @SuppressWarnings("unused") // reached through REMEMBER
    private static Object remember(Object result, Object receiver) {
        RaceTracker t = INSTANCE.tracker;
        if (t != null && result != null) {
            try {
                Watched.Kind kind = Watched.kind(receiver.getClass());
                if (kind != Watched.Kind.NONE) {
                    t.owners.remember(result, kind == Watched.Kind.VIEW ? t.owners.ownerOf(receiver) : receiver);
                }
            } catch (Throwable bug) {
                Guard.failed("a watched call handing out a view", bug);
            }
        }
        return result;
    }
}
