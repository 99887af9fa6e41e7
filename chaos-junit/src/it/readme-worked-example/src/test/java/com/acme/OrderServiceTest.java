package com.acme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import dev.jchaos.junit.DetectThreadLeaks;
import org.junit.jupiter.api.Test;

@ChaosTest
@DetectThreadLeaks
class OrderServiceTest {

    @Test
    @InjectDelay(value = "com.acme.*", ms = 300)
    void placeOrder() throws Exception {
        String result = new OrderService().placeOrder("sku-1");
        assertTrue(result.contains("sku-1"), result);
    }
}
