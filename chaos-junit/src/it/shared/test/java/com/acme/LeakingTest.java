package com.acme;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import dev.jchaos.junit.DetectThreadLeaks;
import org.junit.jupiter.api.Test;

@ChaosTest
@DetectThreadLeaks(lingerMs = 300, attempts = 1, shrinkDelays = false)
class LeakingTest {

    @Test
    @InjectDelay(value = "com.acme.QuoteService#*", ms = 500)
    void leaksWhenPricingIsSlow() throws Exception {
        try (QuoteService service = new QuoteService()) {
            service.quote();
        }
    }
}
