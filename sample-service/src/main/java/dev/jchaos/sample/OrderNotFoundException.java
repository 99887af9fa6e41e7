package dev.jchaos.sample;

/** No order has the requested id; answered with {@code 404}. */
public final class OrderNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param id the id that was looked up */
    public OrderNotFoundException(String id) {
        super("no order with id '" + id + "'");
    }
}
