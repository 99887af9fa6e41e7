package dev.jchaos.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The activations in force, oldest first: an immutable, validated value, replaced as a whole on every change. Where
 * several patterns match a point, the latest wins.
 */
final class Rules {

    static final Rules NONE = new Rules(List.of());

    private final List<Rule> list;

    private Rules(List<Rule> list) {
        this.list = Collections.unmodifiableList(list);
    }

    static Rules of(List<Rule> rules) {
        return new Rules(new ArrayList<>(rules));
    }

    List<Rule> list() {
        return list;
    }

    /**
     * The rule that decides point {@code id}: the latest whose pattern matches, or null. A point that exists only
     * because a pattern aimed at its method ({@code aimedOnly}: no {@code @InjectDelay} declares it) is decided only
     * while a rule of exactly its id is in force, so what a glob covers never depends on which methods were aimed at
     * before (a test's {@code target} ends with the test).
     */
    Rule winner(String id, boolean aimedOnly) {
        if (!decidable(id, aimedOnly)) {
            return null;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            Rule r = list.get(i);
            if (r.glob().matches(id)) {
                return r;
            }
        }
        return null;
    }

    /** Whether any rule may decide point {@code id}: an aimed-only point only while its exact pattern is in force. */
    boolean decidable(String id, boolean aimedOnly) {
        return !aimedOnly || hasExactly(id);
    }

    /** Whether a rule of exactly {@code pattern} is in force. */
    boolean hasExactly(String pattern) {
        for (Rule r : list) {
            if (r.glob().text.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** These rules with {@code rule} last, replacing an activation of the same pattern. */
    Rules with(Rule rule) {
        List<Rule> next = new ArrayList<>(list.size() + 1);
        for (Rule r : list) {
            if (!r.glob().text.equals(rule.glob().text)) {
                next.add(r);
            }
        }
        next.add(rule);
        return new Rules(next);
    }

    /** These rules without {@code glob} and without every activation whose pattern it matches. */
    Rules without(Glob glob) {
        List<Rule> next = new ArrayList<>(list.size());
        for (Rule r : list) {
            if (!r.glob().text.equals(glob.text) && !glob.matches(r.glob().text)) {
                next.add(r);
            }
        }
        return next.size() == list.size() ? this : new Rules(next);
    }

    /** The rule of exactly {@code pattern} with {@code program}, if one is in force (to keep it undisturbed). */
    Rule find(String pattern, Program program) {
        for (Rule r : list) {
            if (r.glob().text.equals(pattern) && java.util.Objects.equals(r.program(), program)) {
                return r;
            }
        }
        return null;
    }

    Map<String, String> asMap() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Rule r : list) {
            result.put(r.glob().text, r.actionsText());
        }
        return result;
    }
}
