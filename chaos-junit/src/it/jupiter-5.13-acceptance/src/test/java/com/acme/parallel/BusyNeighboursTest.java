package com.acme.parallel;

import org.junit.jupiter.api.Test;

/** Not leak-checked; its tests run at the same time and keep threads alive meanwhile. */
class BusyNeighboursTest {

    @Test
    void keepsAThreadBusy() throws InterruptedException {
        Neighbours.busyFor("neighbour-1", 1500);
    }

    @Test
    void keepsAnotherThreadBusy() throws InterruptedException {
        Neighbours.busyFor("neighbour-2", 1500);
    }
}
