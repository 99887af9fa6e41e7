package dev.jchaos.sample;

import java.net.URI;
import java.time.Duration;

/**
 * How to run the sample service; {@link #defaults()} gives embedded H2, in-process fake downstreams and a free
 * port. Values are checked at construction and a bad one is named.
 *
 * @param port           HTTP port, 0 for a free one
 * @param inventoryUri   base URI of the inventory service, or null to start an in-process fake
 * @param pricingUri     base URI of the pricing service, or null to start an in-process fake
 * @param jdbcUrl        JDBC URL of the order database, or null for a private in-memory H2 database
 * @param jdbcUser       database user, or null
 * @param jdbcPassword   database password, or null
 * @param leaky          whether orders are priced through the leak exhibit, {@link LegacyPricingQuotes}
 * @param callTimeout    time limit of one downstream attempt (Resilience4j TimeLimiter)
 * @param connectTimeout HTTP connect timeout to the downstreams
 * @param requestTimeout HTTP request timeout to the downstreams
 */
public record ServiceConfig(int port, URI inventoryUri, URI pricingUri, String jdbcUrl, String jdbcUser,
                            String jdbcPassword, boolean leaky, Duration callTimeout, Duration connectTimeout,
                            Duration requestTimeout) {

    /** Checks every value. */
    public ServiceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535 but was " + port);
        }
        requirePositive("callTimeout", callTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requireHttp("inventoryUri", inventoryUri);
        requireHttp("pricingUri", pricingUri);
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:' but was '" + jdbcUrl + "'");
        }
    }

    /** Embedded everything: free port, fake downstreams, in-memory H2, a 500 ms time limit per attempt. */
    public static ServiceConfig defaults() {
        return new ServiceConfig(0, null, null, null, null, null, false, Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    /** A copy on {@code port}. */
    public ServiceConfig withPort(int port) {
        return new ServiceConfig(port, inventoryUri, pricingUri, jdbcUrl, jdbcUser, jdbcPassword, leaky, callTimeout,
                connectTimeout, requestTimeout);
    }

    /** A copy calling the given downstreams instead of starting fakes. */
    public ServiceConfig withDownstreams(URI inventory, URI pricing) {
        return new ServiceConfig(port, inventory, pricing, jdbcUrl, jdbcUser, jdbcPassword, leaky, callTimeout,
                connectTimeout, requestTimeout);
    }

    /** A copy storing orders in the database at {@code url}. */
    public ServiceConfig withDatabase(String url, String user, String password) {
        return new ServiceConfig(port, inventoryUri, pricingUri, url, user, password, leaky, callTimeout,
                connectTimeout, requestTimeout);
    }

    /** A copy with the leak exhibit on or off. */
    public ServiceConfig withLeaky(boolean leaky) {
        return new ServiceConfig(port, inventoryUri, pricingUri, jdbcUrl, jdbcUser, jdbcPassword, leaky, callTimeout,
                connectTimeout, requestTimeout);
    }

    /** A copy with other downstream timeouts. */
    public ServiceConfig withTimeouts(Duration callTimeout, Duration connectTimeout, Duration requestTimeout) {
        return new ServiceConfig(port, inventoryUri, pricingUri, jdbcUrl, jdbcUser, jdbcPassword, leaky, callTimeout,
                connectTimeout, requestTimeout);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration but was " + value);
        }
    }

    private static void requireHttp(String name, URI value) {
        if (value != null && !("http".equals(value.getScheme()) || "https".equals(value.getScheme()))) {
            throw new IllegalArgumentException(name + " must be an http(s) URI but was '" + value + "'");
        }
    }
}
