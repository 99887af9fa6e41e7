package dev.jchaos.core.internal.races;

import dev.jchaos.core.RaceViolation;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * TSVD's loop for one watch. Every watched call is an access (instance, thread, read or write, site, coarse time).
 * Two accesses of one instance from two threads within the window, at least one a write, are a near miss: their
 * sites become a suspect pair. A thread reaching a held site waits there for up to the hold, with a trap set on its
 * instance; another thread's conflicting access to that instance meanwhile is a violation, reported with both
 * stacks (the held thread is frozen at its call, so its stack is exact). A hold that catches nothing and is followed
 * at once by the other side's access means that side was waiting for the held thread (a lock, a join); seen twice,
 * the pair is ordered and is dropped, so correctly synchronised code is not held at for long (and is never reported:
 * only a caught overlap is). Once is not enough: a thread that merely started late, or that a loaded machine did not
 * schedule during the hold, also arrives just after it, and dropping its pair then would lose a real race. Holds decay
 * per site and are bounded in total.
 */
final class RaceTracker {

    private static final int SLOTS = 1 << 12;
    private static final Trap[] NO_TRAPS = new Trap[0];
    static final int MAX_HOLDS_PER_SITE = 8;
    static final int MAX_HOLDS = 64;
    /** A running service's budgets start again this often, in race-clock time: it serves for hours, a test ends. */
    static final long REFILL_MILLIS = 5_000;
    /**
     * A running service's holds in one refill period, all sites together: a hold inside a lock stalls every thread
     * that needs the lock, so at most 8 of 100 ms in 5 s (a sixth of the time, and that only while suspects last).
     */
    static final int SERVICE_HOLDS_PER_REFILL = 8;
    /**
     * How many times a running service gives a suspect site its budget back: after that many periods of holds that
     * exposed nothing (correctly locked code whose order the holds could not prove), the site is let go for good,
     * so the watch's cost on correct code ends instead of recurring every period.
     */
    static final int SERVICE_REFILLS = 2;
    /** A near miss no hold has decided yet. */
    private static final Integer SUSPECT = 0;
    /** Still a suspect: one hold of it caught nothing and the other side arrived right after it. */
    private static final Integer ORDERED_ONCE = 1;
    /** Exposed, or found ordered twice: never held at again. */
    private static final Integer SETTLED = 2;

    final Owners owners = new Owners();
    private final long holdNanos;
    private final long windowMillis;
    private final long orderedWithinNanos;
    private final long seed;
    private final boolean holdSuspectsAtOnce;
    private final IntFunction<Site> sites;
    private final BiConsumer<RaceViolation, Boolean> onEvent;
    private final RaceClock clock;
    private final Slot[] slots = new Slot[SLOTS];
    private volatile Trap[] traps = NO_TRAPS;
    private volatile HoldEnd lastHoldEnd;
    private volatile boolean stopped;
    /** Suspect pairs (SUSPECT, ORDERED_ONCE) and pairs exposed or found ordered (SETTLED), by packed site ids. */
    private final ConcurrentHashMap<Long, Integer> pairs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Found> found = new ConcurrentHashMap<>();
    private final AtomicInteger holdsLeft = new AtomicInteger(MAX_HOLDS);
    /** When a running service's budgets start again; the clock thread's alone. */
    private long nextRefillMillis = REFILL_MILLIS;

    /**
     * @param onEvent            told of every violation, and whether it is the first of its pair of sites
     * @param holdSuspectsAtOnce whether a new suspect pair is held at from now on (a running service), or only
     *                           reported as a suspect for a later run (a test's first run)
     */
    RaceTracker(long holdNanos, long seed, boolean holdSuspectsAtOnce, IntFunction<Site> sites,
                BiConsumer<RaceViolation, Boolean> onEvent) {
        this.holdNanos = holdNanos;
        this.windowMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdNanos));
        this.orderedWithinNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), holdNanos / 5);
        this.seed = seed;
        this.holdSuspectsAtOnce = holdSuspectsAtOnce;
        if (holdSuspectsAtOnce) {
            holdsLeft.set(SERVICE_HOLDS_PER_REFILL);
        }
        this.sites = sites;
        this.onEvent = onEvent;
        this.clock = new RaceClock(holdSuspectsAtOnce ? this::tick : now -> { });
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
    }

    /**
     * The last write and the last reads (from two threads) of the instances hashed here; racy on purpose (a lost
     * update only loses a near miss). A thread that is already the recorded reader only refreshes its entry when the
     * clock moved on, so threads that share an instance for reading do not keep writing one cache line.
     */
    private static final class Slot {
        int writeHash;
        long writeThread;
        int writeSite;
        long writeMillis = Long.MIN_VALUE / 2;
        final Read[] reads = {new Read(), new Read()};
    }

    private static final class Read {
        int hash;
        long thread;
        int site;
        long millis = Long.MIN_VALUE / 2;
    }

    /**
     * A held thread's trap. The thread leaves only after closing it (nobody came) or after the one who sprang it has
     * taken its stack, so that stack is the held call's.
     */
    private static final class Trap {
        static final int HOLDING = 0;
        static final int SPRUNG = 1;
        static final int TAKEN = 2;
        static final int CLOSED = 3;

        final Object owner;
        final Site site;
        final Thread thread;
        final AtomicInteger state = new AtomicInteger(HOLDING);

        Trap(Object owner, Site site, Thread thread) {
            this.owner = owner;
            this.site = site;
            this.thread = thread;
        }
    }

    private record HoldEnd(int hash, long thread, Site site, long nanos) {
    }

    private static final class Found {
        final RaceViolation first;
        final AtomicInteger seen = new AtomicInteger(1);

        Found(RaceViolation first) {
            this.first = first;
        }
    }

    /** One watched call on {@code owner} (a collection, or the collection a view came from) at {@code site}. */
    void access(Object owner, Site site) {
        Thread me = Thread.currentThread();
        Trap[] set = traps;
        if (set.length > 0) {
            spring(set, owner, site, me);
        }
        @SuppressWarnings("deprecation") // getId(): threadId() arrives with JDK 19
        long thread = me.getId();
        int hash = System.identityHashCode(owner);
        Slot slot = slots[hash & (SLOTS - 1)];
        long now = clock.millis;
        // Two threads released at one moment (leaving a safepoint or a lock) can both look before either has
        // recorded, each blind to the other. So an access that records looks again after recording, past a full
        // fence (on x86 the store would otherwise still sit in this core's buffer while it looks): of two such
        // threads, at least one sees the other. An access that changes nothing (the same thread, site and
        // millisecond as the entry already there) was published before and pays no fence.
        if (site.write) {
            conflicts(slot, hash, thread, site.id, now);
            if (slot.writeHash != hash || slot.writeThread != thread || slot.writeSite != site.id
                    || slot.writeMillis != now) {
                slot.writeHash = hash;
                slot.writeThread = thread;
                slot.writeSite = site.id;
                slot.writeMillis = now;
                VarHandle.fullFence();
                conflicts(slot, hash, thread, site.id, now);
            }
        } else {
            if (read(slot.reads, hash, thread, site.id, now)) {
                VarHandle.fullFence();
            }
            nearWrite(slot, hash, thread, site.id, now);
        }
        HoldEnd end = lastHoldEnd;
        if (end != null && end.hash == hash && end.thread != thread && (end.site.write || site.write)) {
            ordered(end, site);
        }
        if (site.hold && !stopped) {
            hold(owner, site, me, hash, slot, thread);
        }
    }

    /** A write's near misses: another thread's write or reads of the instance within the window. */
    private void conflicts(Slot slot, int hash, long thread, int site, long now) {
        nearWrite(slot, hash, thread, site, now);
        for (Read read : slot.reads) {
            if (read.hash == hash && read.thread != thread && now - read.millis <= windowMillis) {
                nearMiss(read.site, site);
            }
        }
    }

    /** Any access's near miss with another thread's write of the instance within the window. */
    private void nearWrite(Slot slot, int hash, long thread, int site, long now) {
        if (slot.writeHash == hash && slot.writeThread != thread && now - slot.writeMillis <= windowMillis) {
            nearMiss(slot.writeSite, site);
        }
    }

    /** Records a read; whether anything changed. */
    private static boolean read(Read[] reads, int hash, long thread, int site, long now) {
        Read mine = null;
        for (Read read : reads) {
            if (read.hash == hash && read.thread == thread) {
                mine = read;
            }
        }
        if (mine == null) {
            mine = reads[0].millis <= reads[1].millis ? reads[0] : reads[1];
            mine.hash = hash;
            mine.thread = thread;
        } else if (mine.site == site && mine.millis == now) {
            return false;
        }
        mine.site = site;
        mine.millis = now;
        return true;
    }

    private static long pair(int a, int b) {
        return ((long) Math.min(a, b) << 32) | (Math.max(a, b) & 0xFFFF_FFFFL);
    }

    private void nearMiss(int other, int here) {
        if (pairs.putIfAbsent(pair(other, here), SUSPECT) == null && holdSuspectsAtOnce) {
            sites.apply(other).hold = true;
            sites.apply(here).hold = true;
        }
    }

    /**
     * The other side arrived right after a hold that caught nothing: it was perhaps waiting for the held thread. The
     * second time the pair is ordered.
     */
    private void ordered(HoldEnd end, Site site) {
        lastHoldEnd = null;
        if (System.nanoTime() - end.nanos > orderedWithinNanos) {
            return;
        }
        Integer after = pairs.computeIfPresent(pair(end.site.id, site.id),
                (key, state) -> SUSPECT.equals(state) ? ORDERED_ONCE : SETTLED);
        if (SETTLED.equals(after)) {
            settleHold(end.site);
            settleHold(site);
        }
    }

    private static boolean suspect(Integer state) {
        return !SETTLED.equals(state);
    }

    /** A site stays held while some pair of it is still a suspect. */
    private void settleHold(Site site) {
        for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            long key = e.getKey();
            if (suspect(e.getValue()) && ((int) (key >>> 32) == site.id || (int) key == site.id)) {
                return;
            }
        }
        site.hold = false;
    }

    /**
     * A running service's budgets start again: every site of a pair still suspect is held again, its decay halved,
     * so a race whose threads overlapped badly at first is tried again on later requests. Settled pairs stay dropped.
     */
    private void tick(long now) {
        if (now < nextRefillMillis) {
            return;
        }
        nextRefillMillis = now + REFILL_MILLIS;
        holdsLeft.set(SERVICE_HOLDS_PER_REFILL);
        Set<Site> suspect = new LinkedHashSet<>();
        for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            if (suspect(e.getValue())) {
                // a pair may be one site twice (two threads at one merge)
                suspect.add(sites.apply((int) (e.getKey() >>> 32)));
                suspect.add(sites.apply((int) (long) e.getKey()));
            }
        }
        for (Site s : suspect) {
            if (s.refills.incrementAndGet() > SERVICE_REFILLS) {
                s.hold = false; // held in every period it was given and never exposed anything: let it go
                continue;
            }
            s.holds.set(0);
            s.missed.set(s.missed.get() / 2);
            s.hold = true;
        }
    }

    private void hold(Object owner, Site site, Thread me, int hash, Slot slot, long thread) {
        int arrival = site.arrivals.incrementAndGet();
        int missed = Math.min(site.missed.get(), 20);
        // decaying: after n holds that caught nothing, one arrival in 2^n is held
        if (missed > 0 && (mix(seed ^ ((long) site.id << 32) ^ arrival) & ((1L << missed) - 1)) != 0) {
            return;
        }
        if (site.holds.incrementAndGet() > MAX_HOLDS_PER_SITE) {
            site.hold = false;
            return;
        }
        if (holdsLeft.decrementAndGet() < 0) {
            return;
        }
        Trap trap = new Trap(owner, site, me);
        Trap rival = addUnlessRival(trap);
        if (rival != null) {
            // both arrived at once and neither saw the other's trap on the way in: this is the overlap itself
            spring(rival, owner, site, me);
            return;
        }
        long deadline = System.nanoTime() + holdNanos;
        boolean caught;
        try {
            while (trap.state.get() == Trap.HOLDING && !stopped && !me.isInterrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            caught = !trap.state.compareAndSet(Trap.HOLDING, Trap.CLOSED);
            // sprung: stay at the call until the other thread has taken this thread's stack
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (caught && trap.state.get() != Trap.TAKEN && System.nanoTime() < limit) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            }
        } finally {
            remove(trap);
        }
        if (!caught) {
            site.missed.incrementAndGet();
            restamp(slot, hash, thread, site);
            lastHoldEnd = new HoldEnd(hash, thread, site, System.nanoTime());
        }
    }

    /**
     * The held call runs when its hold ends, not when it arrived: its entry takes that time, so another thread
     * coming soon after (late only because this one was held) is still a near miss, and a later run holds again.
     */
    private void restamp(Slot slot, int hash, long thread, Site site) {
        long now = clock.millis;
        if (site.write) {
            if (slot.writeHash == hash && slot.writeThread == thread && slot.writeSite == site.id) {
                slot.writeMillis = now;
            }
            return;
        }
        for (Read read : slot.reads) {
            if (read.hash == hash && read.thread == thread) {
                read.site = site.id;
                read.millis = now;
            }
        }
    }

    /** Checks the traps set by held threads: a conflicting access to a held thread's instance is a violation. */
    private void spring(Trap[] set, Object owner, Site site, Thread me) {
        for (Trap trap : set) {
            if (conflicts(trap, owner, site, me)) {
                spring(trap, owner, site, me);
            }
        }
    }

    private static boolean conflicts(Trap trap, Object owner, Site site, Thread me) {
        return trap.owner == owner && trap.thread != me && (trap.site.write || site.write);
    }

    private void spring(Trap trap, Object owner, Site site, Thread me) {
        if (trap.state.compareAndSet(Trap.HOLDING, Trap.SPRUNG)) {
            StackTraceElement[] held = trap.thread.getStackTrace();
            StackTraceElement[] mine = new Throwable().getStackTrace();
            trap.state.set(Trap.TAKEN);
            LockSupport.unpark(trap.thread);
            pairs.put(pair(trap.site.id, site.id), SETTLED);
            record(owner, trap, held, site, me, mine);
        }
    }

    private void record(Object owner, Trap trap, StackTraceElement[] heldStack, Site site, Thread me,
                        StackTraceElement[] myStack) {
        String collection = Watched.name(owner.getClass());
        // grouped by the pair of call sites: a loop's hasNext and next at one line are one finding
        String a = trap.site.where;
        String b = site.where;
        String key = collection + "|" + (a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a);
        RaceViolation violation = new RaceViolation(collection,
                new RaceViolation.Access(trap.site.operation, trap.site.where, trap.thread.getName(), trim(heldStack)),
                new RaceViolation.Access(site.operation, site.where, me.getName(), trim(myStack)), 1);
        Found existing = found.putIfAbsent(key, new Found(violation));
        if (existing != null) {
            existing.seen.incrementAndGet();
        }
        if (onEvent != null) {
            onEvent.accept(violation, existing == null);
        }
    }

    /** Drops jchaos's and the JDK's frames above the call site, so the stack starts where the application called. */
    static List<StackTraceElement> trim(StackTraceElement[] frames) {
        int start = 0;
        while (start < frames.length && internal(frames[start].getClassName())) {
            start++;
        }
        List<StackTraceElement> kept = new ArrayList<>(frames.length - start);
        for (int i = start; i < frames.length; i++) {
            // lambda proxies show in another thread's stack but not in one's own: never, for stacks to compare
            if (!frames[i].getClassName().contains("$$Lambda")) {
                kept.add(frames[i]);
            }
        }
        return kept;
    }

    private static boolean internal(String className) {
        return className.startsWith("dev.jchaos.core.internal.") || className.startsWith("java.lang.invoke.")
                || className.startsWith("jdk.internal.") || className.startsWith("java.util.concurrent.locks.")
                || className.equals("java.lang.Thread") || className.startsWith("dev.jchaos.shaded.");
    }

    /**
     * Sets {@code trap}, unless another thread already holds on the same instance in a conflicting call: two threads
     * reaching held sites at the same moment would otherwise both be held, each blind to the other's trap, and the
     * second hold's end would look like a thread that waited for the first (a pair wrongly dropped as ordered).
     */
    private synchronized Trap addUnlessRival(Trap trap) {
        for (Trap other : traps) {
            if (conflicts(other, trap.owner, trap.site, trap.thread) && other.state.get() == Trap.HOLDING) {
                return other;
            }
        }
        Trap[] next = Arrays.copyOf(traps, traps.length + 1);
        next[next.length - 1] = trap;
        traps = next;
        return null;
    }

    private synchronized void remove(Trap trap) {
        List<Trap> next = new ArrayList<>(Arrays.asList(traps));
        next.remove(trap);
        traps = next.toArray(NO_TRAPS);
    }

    /** Stops holding: every held thread goes on at once. */
    void stop() {
        stopped = true;
        for (Trap trap : traps) {
            LockSupport.unpark(trap.thread);
        }
        clock.stop();
    }

    /** Violations found, one per pair of call sites, with how often each was seen. */
    List<RaceViolation> violations() {
        List<RaceViolation> result = new ArrayList<>();
        for (Found f : found.values()) {
            RaceViolation v = f.first;
            result.add(new RaceViolation(v.collection(), v.held(), v.other(), f.seen.get()));
        }
        result.sort((x, y) -> (x.collection() + x.held().site() + x.other().site())
                .compareTo(y.collection() + y.held().site() + y.other().site()));
        return result;
    }

    /** Sites of near misses that no hold has exposed or found ordered. */
    List<String> suspects() {
        Set<String> result = new LinkedHashSet<>();
        for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            if (suspect(e.getValue())) {
                result.add(sites.apply((int) (e.getKey() >>> 32)).where);
                result.add(sites.apply((int) (long) e.getKey()).where);
            }
        }
        return new ArrayList<>(result);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
