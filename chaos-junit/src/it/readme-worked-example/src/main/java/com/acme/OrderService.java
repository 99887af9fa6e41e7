package com.acme;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

public class OrderService {

    static final long PRICING_TIMEOUT_MS = 200;

    private final Inventory inventory = new Inventory();
    private final PricingClient pricing = new PricingClient();
    private final Receipts receipts = new Receipts();

    public String placeOrder(String sku) throws Exception {
        inventory.reserve(sku);
        AtomicInteger n = new AtomicInteger();
        ExecutorService quotes = Executors.newFixedThreadPool(2, r -> new Thread(r, "pricing-" + n.incrementAndGet()));
        Thread flusher = new Thread(OrderService::flushAuditLog, "audit-flusher");
        flusher.start();
        Future<Long> unit = quotes.submit(() -> pricing.quote(sku));
        Future<Long> bulk = quotes.submit(() -> pricing.quote(sku + "-bulk"));
        long total;
        try {
            total = unit.get(PRICING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    + bulk.get(PRICING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slowPricing) {
            return "PENDING " + sku; // BUG: returns without shutting down the pool and the flusher
        }
        quotes.shutdown();
        flusher.interrupt();
        return receipts.print("PLACED " + sku + " at " + total);
    }

    private static void flushAuditLog() {
        try {
            while (true) {
                Thread.sleep(100);
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }
}
