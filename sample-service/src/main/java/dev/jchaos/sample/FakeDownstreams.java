package dev.jchaos.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * In-process stand-ins for the inventory and pricing services, on loopback, answering after a realistic latency
 * (a few milliseconds with a long tail). SKUs starting with {@code OUT} are out of stock.
 */
public final class FakeDownstreams implements AutoCloseable {

    private final Fake inventory;
    private final Fake pricing;

    private FakeDownstreams(Fake inventory, Fake pricing) {
        this.inventory = inventory;
        this.pricing = pricing;
    }

    /** Starts both fakes on free loopback ports. */
    public static FakeDownstreams start() {
        Fake inventory = new Fake("fake-inventory", 4, 18);
        try {
            inventory.server.createContext("/reservations", exchange -> inventory.answer(exchange, () -> {
                String body = readBody(exchange);
                boolean outOfStock = body.contains("\"OUT");
                return "{\"reserved\":" + !outOfStock + "}";
            }));
            inventory.start();
            Fake pricing = new Fake("fake-pricing", 3, 12);
            pricing.server.createContext("/prices/", exchange -> pricing.answer(exchange, () -> {
                String sku = exchange.getRequestURI().getPath().substring("/prices/".length());
                long cents = 100 + Math.floorMod(sku.hashCode(), 9900);
                return "{\"sku\":\"" + sku.replaceAll("[^A-Za-z0-9_-]", "") + "\",\"unitPriceCents\":" + cents + "}";
            }));
            pricing.start();
            return new FakeDownstreams(inventory, pricing);
        } catch (RuntimeException e) {
            inventory.close();
            throw e;
        }
    }

    /** Base URI of the fake inventory service. */
    public URI inventoryUri() {
        return inventory.uri();
    }

    /** Base URI of the fake pricing service. */
    public URI pricingUri() {
        return pricing.uri();
    }

    @Override
    public void close() {
        inventory.close();
        pricing.close();
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private interface Body {
        String get() throws IOException;
    }

    private static final class Fake implements AutoCloseable {

        private final HttpServer server;
        private final ThreadPoolExecutor workers;
        private final long minMs;
        private final long medianMs;

        Fake(String name, long minMs, long medianMs) {
            this.minMs = minMs;
            this.medianMs = medianMs;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a loopback port for " + name, e);
            }
            workers = new ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    new NamedThreads(name, true));
            // All workers up front: the fakes' thread count stays flat, so it never reads as growth.
            workers.prestartAllCoreThreads();
            server.setExecutor(workers);
        }

        void start() {
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void answer(HttpExchange exchange, Body body) throws IOException {
            try (exchange) {
                String json = body.get();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latencyMs()));
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }

        /** Log-normal around the median, a real service's shape: mostly quick, sometimes several times slower. */
        private long latencyMs() {
            double sigma = 0.5;
            double draw = Math.exp(sigma * ThreadLocalRandom.current().nextGaussian());
            return Math.min(minMs + Math.round((medianMs - minMs) * draw), 10 * medianMs);
        }

        @Override
        public void close() {
            server.stop(0);
            workers.shutdownNow();
        }
    }
}
