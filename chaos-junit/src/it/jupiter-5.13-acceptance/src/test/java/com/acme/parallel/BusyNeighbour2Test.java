package com.acme.parallel;

import org.junit.jupiter.api.Test;

/** Not leak-checked; runs concurrently with the other neighbour and keeps a thread alive meanwhile. */
class BusyNeighbour2Test {

    @Test
    void keepsAThreadBusy() throws InterruptedException {
        Neighbours.busyFor("neighbour-2", 1500);
    }

    @Test
    void keepsAnotherThreadBusy() throws InterruptedException {
        Neighbours.busyFor("neighbour-2b", 1500);
    }
}
