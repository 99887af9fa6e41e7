package dev.jchaos.core.internal;

import java.util.regex.Pattern;

/** A point pattern: an id where {@code *} stands for any run of characters. */
final class Glob {

    final String text;
    private final Pattern regex;

    Glob(String text) {
        this.text = text;
        if (text.indexOf('*') < 0) {
            this.regex = null;
        } else {
            StringBuilder sb = new StringBuilder();
            int last = 0;
            for (int i = text.indexOf('*'); i >= 0; i = text.indexOf('*', last)) {
                sb.append(Pattern.quote(text.substring(last, i))).append(".*");
                last = i + 1;
            }
            sb.append(Pattern.quote(text.substring(last)));
            this.regex = Pattern.compile(sb.toString());
        }
    }

    boolean matches(String id) {
        return regex == null ? text.equals(id) : regex.matcher(id).matches();
    }

    /** Parses and validates a pattern. */
    static Glob of(String pattern) {
        return new Glob(new ActionParser(pattern).patternOnly());
    }

    @Override
    public String toString() {
        return text;
    }
}
