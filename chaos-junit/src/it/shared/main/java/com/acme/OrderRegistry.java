package com.acme;

import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Map;

/** In-flight orders in a plain HashMap: requests add and remove, a reporter sums them up and swallows what it hits. */
public final class OrderRegistry {

    private final Map<Long, Integer> inFlight = new HashMap<>();

    public void start(long order, int amount) {
        inFlight.put(order, amount);
    }

    public void finish(long order) {
        inFlight.remove(order);
    }

    /** The reporting thread's sum; a concurrent change makes it give up this round. */
    public long exposure() {
        long sum = 0;
        try {
            for (int amount : inFlight.values()) {
                sum += amount;
            }
        } catch (ConcurrentModificationException swallowed) {
            return -1;
        }
        return sum;
    }
}
