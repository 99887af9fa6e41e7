package com.acme;

import dev.jchaos.annotations.InjectDelay;

public class PricingClient {

    @InjectDelay
    public long quote(String sku) {
        return sku.length() * 100L;
    }
}
