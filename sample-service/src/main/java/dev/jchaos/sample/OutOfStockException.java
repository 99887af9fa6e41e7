package dev.jchaos.sample;

/** The inventory service refused the reservation; answered with {@code 409}. */
public final class OutOfStockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param sku the SKU that could not be reserved; @param quantity how many were asked for */
    public OutOfStockException(String sku, int quantity) {
        super("cannot reserve " + quantity + " of '" + sku + "': out of stock");
    }
}
