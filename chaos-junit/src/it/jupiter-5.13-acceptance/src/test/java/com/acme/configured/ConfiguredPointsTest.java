package com.acme.configured;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.Checkout;
import dev.jchaos.junit.ChaosTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code -Djchaos.points=checkout.receipt=delay(250ms)} (Surefire's systemPropertyVariables) is in force before any
 * test activates a point: from {@code @BeforeAll} on, in the first test too, whatever the order.
 */
@ChaosTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfiguredPointsTest {

    private static long beforeAllMs;

    private static long millis(Runnable action) {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @BeforeAll
    static void measureEarly() {
        beforeAllMs = millis(new Checkout()::receipt);
    }

    @Test
    @Order(1)
    void configuredPointIsActiveInTheFirstTest() {
        assertTrue(beforeAllMs >= 250, "receipt took " + beforeAllMs + " ms in @BeforeAll");
        long ms = millis(new Checkout()::receipt);
        assertTrue(ms >= 250, "receipt took " + ms + " ms");
    }

    @Test
    @Order(2)
    @dev.jchaos.annotations.InjectDelay(value = "checkout.receipt", probability = 0)
    void aTestCanStillTurnItOff() {
        long ms = millis(new Checkout()::receipt);
        assertTrue(ms < 200, "receipt took " + ms + " ms");
    }

    @Test
    @Order(3)
    void andItIsBackAfterThatTest() {
        long ms = millis(new Checkout()::receipt);
        assertTrue(ms >= 250, "receipt took " + ms + " ms");
    }
}
