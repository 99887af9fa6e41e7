package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchaos.junit.DetectThreadLeaks;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Threads started and stopped within the test, and work on the common pool: no leak. */
@DetectThreadLeaks
class CleanTest {

    private ExecutorService executor;

    @BeforeEach
    void start() {
        executor = Executors.newFixedThreadPool(4);
    }

    @Test
    void usesAndStopsAnExecutor() throws Exception {
        assertEquals(42, executor.submit(() -> 42).get());
    }

    @Test
    void usesTheCommonPool() {
        int sum = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9).parallelStream().mapToInt(i -> i * i).sum();
        assertEquals(285, CompletableFuture.supplyAsync(() -> sum).join());
    }

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }
}
