package dev.jchaos.sample;

/** A client error: the request is malformed and is answered with {@code 400} and this message. */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the request, naming the bad value */
    public BadRequestException(String message) {
        super(message);
    }
}
