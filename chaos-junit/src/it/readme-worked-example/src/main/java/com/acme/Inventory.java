package com.acme;

import dev.jchaos.annotations.InjectDelay;

public class Inventory {

    @InjectDelay
    public void reserve(String sku) {
    }
}
