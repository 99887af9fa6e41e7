package dev.jchaos.sample;

import java.time.Instant;

/**
 * A placed order as stored and as returned to clients.
 *
 * @param id             the order id (a UUID string)
 * @param sku            the stock-keeping unit ordered
 * @param quantity       how many units
 * @param unitPriceCents the unit price quoted by the pricing service, in cents
 * @param totalCents     {@code unitPriceCents * quantity}
 * @param createdAt      when the order was stored
 */
public record Order(String id, String sku, int quantity, long unitPriceCents, long totalCents, Instant createdAt) {
}
