package com.acme;

/** No annotation anywhere: a point only when a test names it with @InjectDelay(target = ...). */
public final class PlainClient {

    public String call(String message) {
        return message;
    }
}
