package dev.jchaos.core.internal.races;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MutableCallSite;
import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One watched call site: where it is, what it calls, and the linked call sites that run it. */
final class Site {

    final int id;
    /** {@code fqcn.method(File.java:line)}. */
    final String where;
    final String className;
    /** The collection method called, such as {@code put}. */
    final String operation;
    final boolean write;
    /** Whether a thread arriving here is held (a suspect of the running session). */
    volatile boolean hold;
    /** Threads that arrived while the site was held, and how many of them were really held. */
    final AtomicInteger arrivals = new AtomicInteger();
    final AtomicInteger holds = new AtomicInteger();
    final AtomicInteger missed = new AtomicInteger();
    /** How many times a running service's budget was given back to this site. */
    final AtomicInteger refills = new AtomicInteger();
    final CopyOnWriteArrayList<Link> links = new CopyOnWriteArrayList<>();

    Site(int id, String where, String operation) {
        this.id = id;
        this.where = where;
        int paren = where.indexOf('(');
        int dot = where.lastIndexOf('.', paren < 0 ? where.length() : paren);
        this.className = dot < 0 ? where : where.substring(0, dot);
        this.operation = operation;
        this.write = Watched.writes(operation);
    }

    /** Forgets what a session learned here. */
    void reset() {
        hold = false;
        arrivals.set(0);
        holds.set(0);
        missed.set(0);
        refills.set(0);
    }

    /** One linked call site of this site: the original call and the watched one, to switch between. */
    static final class Link {
        final WeakReference<MutableCallSite> callSite;
        final MethodHandle original;
        final MethodHandle watched;

        Link(MutableCallSite callSite, MethodHandle original, MethodHandle watched) {
            this.callSite = new WeakReference<>(callSite);
            this.original = original;
            this.watched = watched;
        }
    }

    @Override
    public String toString() {
        return operation + " at " + where;
    }
}
