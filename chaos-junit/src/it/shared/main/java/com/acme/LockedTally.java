package com.acme;

import java.util.HashMap;
import java.util.Map;

/** {@link Tally} done right: every access under one lock. */
public final class LockedTally {

    private final Map<String, Integer> counts = new HashMap<>();

    public synchronized void add(String key) {
        counts.merge(key, 1, Integer::sum);
    }

    public synchronized int total() {
        int sum = 0;
        for (int n : counts.values()) {
            sum += n;
        }
        return sum;
    }
}
