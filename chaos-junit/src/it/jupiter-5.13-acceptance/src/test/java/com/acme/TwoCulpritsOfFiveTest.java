package com.acme;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import dev.jchaos.junit.DetectThreadLeaks;
import org.junit.jupiter.api.Test;

/** Five points delayed; only reserve and charge together miss their shared deadline. */
@ChaosTest
@DetectThreadLeaks(lingerMs = 300, attempts = 2)
class TwoCulpritsOfFiveTest {

    @Test
    @InjectDelay(value = "checkout.*", ms = 300)
    void checkout() throws Exception {
        try (Checkout checkout = new Checkout()) {
            checkout.checkout();
        }
    }
}
