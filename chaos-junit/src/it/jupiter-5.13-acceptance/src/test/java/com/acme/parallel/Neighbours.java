package com.acme.parallel;

final class Neighbours {

    private Neighbours() {
    }

    /** Starts a thread that lives {@code ms} and waits for it: alive while other tests run at the same time. */
    static void busyFor(String name, long ms) throws InterruptedException {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.start();
        thread.join();
    }

    static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
