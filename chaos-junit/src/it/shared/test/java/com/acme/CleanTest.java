package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchaos.junit.DetectThreadLeaks;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@DetectThreadLeaks
class CleanTest {

    @Test
    void usesAndStopsAnExecutor() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        assertEquals(42, executor.submit(() -> 42).get());
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }
}
