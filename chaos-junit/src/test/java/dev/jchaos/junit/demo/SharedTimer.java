package dev.jchaos.junit.demo;

import java.util.Timer;
import java.util.TimerTask;

/** A lazy process-wide singleton: its timer thread starts when the class is first used, from its initializer. */
public final class SharedTimer {

    private static final Timer TIMER = new Timer("shared-timer-7", false);

    private SharedTimer() {
    }

    /** Schedules {@code task} on the shared timer. */
    public static void schedule(TimerTask task, long delayMs) {
        TIMER.schedule(task, delayMs);
    }

    /** Ends the timer thread; only tests that leave nothing behind call this. */
    public static void cancel() {
        TIMER.cancel();
    }
}
