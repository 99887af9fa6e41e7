package com.acme;

import dev.jchaos.annotations.InjectDelay;

public class Receipts {

    @InjectDelay
    public String print(String line) {
        return line;
    }
}
