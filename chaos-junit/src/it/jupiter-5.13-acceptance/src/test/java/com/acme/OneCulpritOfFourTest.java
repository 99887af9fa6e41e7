package com.acme;

import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.junit.ChaosTest;
import dev.jchaos.junit.DetectThreadLeaks;
import org.junit.jupiter.api.Test;

/** Four points delayed, one of them (price) behind a deadline: the minimal configuration is that one. */
@ChaosTest(seed = 8812733)
@DetectThreadLeaks(lingerMs = 300, attempts = 2)
class OneCulpritOfFourTest {

    @Test
    @InjectDelay(value = "com.acme.QuoteService#*", ms = 500)
    void quote() throws Exception {
        try (QuoteService service = new QuoteService()) {
            service.quote();
        }
    }
}
