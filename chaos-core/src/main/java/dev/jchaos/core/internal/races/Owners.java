package dev.jchaos.core.internal.races;

import java.lang.ref.WeakReference;

/**
 * Which collection a view or iterator came from, as seen at the watched call that handed it out. A lossy table
 * keyed by identity: a slot overwritten by a later view only makes that earlier view count on itself (a missed
 * near miss, never a false report). Holds nothing strongly.
 */
final class Owners {

    private static final int SLOTS = 1 << 12;

    private final Entry[] table = new Entry[SLOTS];

    private static final class Entry {
        final WeakReference<Object> view;
        final WeakReference<Object> owner;

        Entry(Object view, Object owner) {
            this.view = new WeakReference<>(view);
            this.owner = new WeakReference<>(owner);
        }
    }

    void remember(Object view, Object owner) {
        if (view == null || view == owner) {
            return;
        }
        table[System.identityHashCode(view) & (SLOTS - 1)] = new Entry(view, owner);
    }

    /** The collection {@code view} came from, or {@code view} itself when unknown. */
    Object ownerOf(Object view) {
        Entry e = table[System.identityHashCode(view) & (SLOTS - 1)];
        if (e != null && e.view.get() == view) {
            Object owner = e.owner.get();
            if (owner != null) {
                return owner;
            }
        }
        return view;
    }
}
