package com.acme;

import dev.jchaos.annotations.InjectDelay;
import org.junit.jupiter.api.Test;

/** A user forgot @ChaosTest: the delay cannot happen, and the run says so instead of staying silent. */
class ForgotChaosTestTest {

    @Test
    @InjectDelay(value = "checkout.receipt", ms = 300)
    void delayNeverActivated() {
        new Checkout().receipt();
    }
}
