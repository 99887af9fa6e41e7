package dev.jchaos.junit.demo;

/** No annotation anywhere: made a point only by a test's {@code @InjectDelay(target = ...)}. */
public final class PlainClient {

    /** Returns its argument. */
    public String call(String message) {
        return message;
    }
}
