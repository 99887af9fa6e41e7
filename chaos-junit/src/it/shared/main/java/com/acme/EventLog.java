package com.acme;

import java.util.ArrayList;
import java.util.List;

/** Events appended by one thread and counted by another, with nothing ordering the two. */
public final class EventLog {

    private final List<String> events = new ArrayList<>();

    public void append(String event) {
        events.add(event);
    }

    public int count() {
        return events.size();
    }
}
