package dev.jchaos.core.internal.races;

import java.util.Set;

/**
 * Which receivers are watched, and which calls write. Watched: the {@code java.util} collections that are not
 * thread-safe, their subclasses, and the views and iterators they hand out (whose calls count on the collection
 * they came from). Thread-safe collections, {@code Collections.synchronized*} and unmodifiable wrappers, and
 * immutable collections are other classes and never watched.
 */
final class Watched {

    /** The collections of the contract. */
    static final Set<String> WATCHED = Set.of("java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.ArrayList",
            "java.util.LinkedList", "java.util.ArrayDeque", "java.util.PriorityQueue");

    /** The methods of collections, views and iterators that change them; every other call reads. */
    private static final Set<String> WRITES = Set.of("put", "putAll", "putIfAbsent", "putFirst", "putLast",
            "remove", "removeIf", "removeAll", "retainAll", "clear", "add", "addAll", "addFirst", "addLast", "offer",
            "offerFirst", "offerLast", "poll", "pollFirst", "pollLast", "pollFirstEntry", "pollLastEntry", "pop",
            "push", "set", "sort", "replace", "replaceAll", "compute", "computeIfAbsent", "computeIfPresent",
            "merge", "removeFirst", "removeLast", "removeFirstOccurrence", "removeLastOccurrence", "trimToSize",
            "ensureCapacity", "reversed");

    /** The methods whose result is a view or an iterator of the receiver's collection. */
    private static final Set<String> VIEWS = Set.of("keySet", "values", "entrySet", "iterator", "listIterator",
            "descendingIterator", "descendingKeySet", "descendingMap", "navigableKeySet", "subList", "subMap",
            "headMap", "tailMap", "subSet", "headSet", "tailSet", "sequencedKeySet", "sequencedValues",
            "sequencedEntrySet", "spliterator");

    /** What a receiver is. */
    enum Kind {
        /** Not watched. */
        NONE,
        /** A watched collection: its own owner. */
        COLLECTION,
        /** A view or iterator of a watched collection: its calls count on the collection it came from. */
        VIEW
    }

    private static final ClassValue<Kind> KINDS = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (WATCHED.contains(c.getName())) {
                    return Kind.COLLECTION;
                }
            }
            String name = type.getName();
            int dollar = name.indexOf('$');
            if (name.startsWith("java.util.") && dollar > 0 && WATCHED.contains(name.substring(0, dollar))) {
                return Kind.VIEW;
            }
            return Kind.NONE;
        }
    };

    private Watched() {
    }

    static Kind kind(Class<?> type) {
        return KINDS.get(type);
    }

    static boolean writes(String method) {
        return WRITES.contains(method);
    }

    static boolean returnsView(String method) {
        return VIEWS.contains(method);
    }

    /** The collection's name in a report: the watched JDK class it is or extends. */
    static String name(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (WATCHED.contains(c.getName())) {
                return c.getName();
            }
        }
        String name = type.getName();
        int dollar = name.indexOf('$');
        return dollar > 0 ? name.substring(0, dollar) : name;
    }
}
