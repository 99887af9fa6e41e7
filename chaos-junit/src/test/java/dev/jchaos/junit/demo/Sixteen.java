package dev.jchaos.junit.demo;

import dev.jchaos.annotations.InjectDelay;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sixteen points in a row; step 11 runs under a deadline and, when late, leaks a thread. Used to count how many
 * candidate runs the minimization needs to find one culprit among sixteen.
 */
public final class Sixteen implements AutoCloseable {

    /** Step 11's deadline. */
    public static final long TIMEOUT_MS = 150;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "sixteen-worker"));

    /** Runs every step; a late step 11 leaks a thread. */
    public void run() throws Exception {
        step0();
        step1();
        step2();
        step3();
        step4();
        step5();
        step6();
        step7();
        step8();
        step9();
        step10();
        Future<?> late = worker.submit(this::step11);
        try {
            late.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Thread leak = new Thread(Sixteen::waitUntilInterrupted, "sixteen-leak");
            leak.start();
            Leftovers.track(leak);
        }
        step12();
        step13();
        step14();
        step15();
    }

    @InjectDelay
    void step0() {
    }

    @InjectDelay
    void step1() {
    }

    @InjectDelay
    void step2() {
    }

    @InjectDelay
    void step3() {
    }

    @InjectDelay
    void step4() {
    }

    @InjectDelay
    void step5() {
    }

    @InjectDelay
    void step6() {
    }

    @InjectDelay
    void step7() {
    }

    @InjectDelay
    void step8() {
    }

    @InjectDelay
    void step9() {
    }

    @InjectDelay
    void step10() {
    }

    @InjectDelay
    void step11() {
    }

    @InjectDelay
    void step12() {
    }

    @InjectDelay
    void step13() {
    }

    @InjectDelay
    void step14() {
    }

    @InjectDelay
    void step15() {
    }

    private static void waitUntilInterrupted() {
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
