package dev.jchaos.core.internal;

/**
 * A point pattern: an id where {@code *} stands for any run of characters. Matching walks the text once per star at
 * most (no regular expression), so no pattern can make it take long.
 */
public final class Glob {

    final String text;
    private final boolean plain;

    Glob(String text) {
        this.text = text;
        this.plain = text.indexOf('*') < 0;
    }

    public boolean matches(String id) {
        return plain ? text.equals(id) : wildcard(text, id);
    }

    /** Greedy wildcard matching with one backtrack point: O(pattern × id) at worst. */
    private static boolean wildcard(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Patterns parsed before: activation code runs rarely, so barely compiled (see {@link Program#parse}). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Glob> PARSED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int PARSED_MAX = 256;

    /** Parses and validates a pattern. */
    public static Glob of(String pattern) {
        Glob known = pattern == null ? null : PARSED.get(pattern);
        if (known != null) {
            return known;
        }
        Glob parsed = new Glob(new ActionParser(pattern).patternOnly());
        if (PARSED.size() >= PARSED_MAX) {
            PARSED.clear();
        }
        PARSED.put(pattern, parsed); // only patterns that parsed: a malformed one is refused every time
        return parsed;
    }

    /** Whether the pattern has no {@code *}: it names exactly one point. */
    boolean isPlain() {
        return plain;
    }

    @Override
    public String toString() {
        return text;
    }
}
