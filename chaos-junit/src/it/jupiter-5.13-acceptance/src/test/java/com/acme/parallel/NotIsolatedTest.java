package com.acme.parallel;

import dev.jchaos.junit.DetectThreadLeaks;
import org.junit.jupiter.api.Test;

/** Leak-checked but running in parallel with others: refused with what to do. */
@DetectThreadLeaks
class NotIsolatedTest {

    @Test
    void runsInParallel() {
    }
}
