package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which exceptions are timeouts. Built in: {@code java.util.concurrent.TimeoutException},
 * {@code java.net.SocketTimeoutException}, {@code java.net.http.HttpTimeoutException} and any class whose simple
 * name ends in {@code TimeoutException}, with their subclasses. Extra entries (property {@code jchaos.timeoutTypes},
 * comma-separated) are either fully qualified class names (containing a dot; the class and its subclasses) or
 * simple-name suffixes (no dot, e.g. {@code TimedOut}). The answer per class is cached in a {@link ClassValue}.
 */
final class TimeoutTypes {

    static final String PROPERTY = "jchaos.timeoutTypes";

    private static final List<String> BUILT_IN_NAMES = List.of(
            "java.util.concurrent.TimeoutException",
            "java.net.SocketTimeoutException",
            "java.net.http.HttpTimeoutException");
    private static final String BUILT_IN_SUFFIX = "TimeoutException";
    /** Causes followed below the thrown exception: wrappers such as UncheckedIOException or ExecutionException. */
    private static final int CAUSE_DEPTH = 8;

    private final String spec;
    private final Set<String> names;
    private final Set<String> suffixes;
    private final ClassValue<Boolean> cache = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return matchesType(type);
        }
    };

    private TimeoutTypes(String spec, Set<String> names, Set<String> suffixes) {
        this.spec = spec;
        this.names = names;
        this.suffixes = suffixes;
    }

    /**
     * Parses a comma-separated list of extra types; blank or null means only the built-in ones.
     *
     * @throws ChaosConfigException naming the entry that is neither a class name nor a simple-name suffix
     */
    static TimeoutTypes parse(String spec) {
        Set<String> names = new LinkedHashSet<>(BUILT_IN_NAMES);
        Set<String> suffixes = new LinkedHashSet<>(List.of(BUILT_IN_SUFFIX));
        String text = spec == null ? "" : spec;
        if (text.isBlank()) {
            return new TimeoutTypes("", Set.copyOf(names), Set.copyOf(suffixes));
        }
        int start = 0;
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            int column = start + (entry.isEmpty() ? 0 : raw.indexOf(entry)) + 1;
            start += raw.length() + 1;
            if (entry.isEmpty()) {
                throw new ChaosConfigException(text, column, "empty entry in " + PROPERTY);
            }
            if (!isQualifiedName(entry)) {
                throw new ChaosConfigException(text, column,
                        "'" + entry + "' in " + PROPERTY + " is neither a class name nor a simple-name suffix");
            }
            (entry.indexOf('.') >= 0 ? names : suffixes).add(entry);
        }
        return new TimeoutTypes(text.strip(), Set.copyOf(names), Set.copyOf(suffixes));
    }

    /** Whether {@code thrown}, or one of its first causes, is a timeout. */
    boolean isTimeout(Throwable thrown) {
        Throwable t = thrown;
        for (int depth = 0; t != null && depth <= CAUSE_DEPTH; depth++) {
            if (cache.get(t.getClass())) {
                return true;
            }
            Throwable cause = t.getCause();
            t = cause == t ? null : cause;
        }
        return false;
    }

    /** The extra entries as given. */
    String spec() {
        return spec;
    }

    private boolean matchesType(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (names.contains(c.getName())) {
                return true;
            }
            String simple = simpleName(c);
            for (String suffix : suffixes) {
                if (simple.endsWith(suffix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The binary name after the last dot or dollar; getSimpleName() is empty for anonymous classes. */
    private static String simpleName(Class<?> c) {
        String name = c.getName();
        int cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('$'));
        return name.substring(cut + 1);
    }

    private static boolean isQualifiedName(String s) {
        for (String part : s.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }
}
