package com.acme;

import java.util.HashMap;
import java.util.Map;

/** Counts events per key in a plain HashMap, from whichever thread calls: a lost update waiting to happen. */
public final class Tally {

    private final Map<String, Integer> counts = new HashMap<>();

    public void add(String key) {
        counts.merge(key, 1, Integer::sum);
    }

    public int total() {
        int sum = 0;
        for (int n : counts.values()) {
            sum += n;
        }
        return sum;
    }
}
