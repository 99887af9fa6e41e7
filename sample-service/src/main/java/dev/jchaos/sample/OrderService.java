package dev.jchaos.sample;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Places orders: reserve stock, price them, store them. Reads them back. */
public final class OrderService {

    private final InventoryClient inventory;
    private final PricingClient pricing;
    private final OrderRepository repository;
    private final Resilience.Guard inventoryGuard;
    private final Resilience.Guard pricingGuard;
    private final LegacyPricingQuotes legacyPricing;
    private final InFlightOrders inFlight;

    OrderService(InventoryClient inventory, PricingClient pricing, OrderRepository repository,
                 Resilience resilience, LegacyPricingQuotes legacyPricing, InFlightOrders inFlight) {
        this.inventory = inventory;
        this.pricing = pricing;
        this.repository = repository;
        this.inventoryGuard = resilience.guard("inventory");
        this.pricingGuard = resilience.guard("pricing");
        this.legacyPricing = legacyPricing;
        this.inFlight = inFlight;
    }

    /**
     * Places an order.
     *
     * @throws OutOfStockException            when the inventory refuses
     * @throws DownstreamUnavailableException when inventory or pricing cannot answer in time
     */
    public Order place(OrderRequest request) {
        String id = UUID.randomUUID().toString();
        inFlight.begin(id, request.sku());
        try {
            inventoryGuard.call(() -> {
                inventory.reserve(request.sku(), request.quantity());
                return null;
            });
            long unitPrice = legacyPricing != null
                    ? legacyPricing.quote(request.sku())
                    : pricingGuard.call(() -> pricing.quote(request.sku()));
            Order order = new Order(id, request.sku(), request.quantity(), unitPrice,
                    unitPrice * request.quantity(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
            repository.save(order);
            return order;
        } finally {
            inFlight.end(id);
        }
    }

    /** Orders being placed right now (the race exhibit's count). */
    public int inFlight() {
        return inFlight.count();
    }

    /**
     * The order with {@code id}.
     *
     * @throws BadRequestException    when {@code id} is not a UUID
     * @throws OrderNotFoundException when there is no such order
     */
    public Order find(String id) {
        if (!id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new BadRequestException("order id must be a UUID but was '" + id + "'");
        }
        return repository.findById(id).orElseThrow(() -> new OrderNotFoundException(id));
    }
}
