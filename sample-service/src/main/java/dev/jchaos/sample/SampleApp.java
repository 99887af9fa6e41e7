package dev.jchaos.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.jchaos.core.Chaos;
import dev.jchaos.core.metrics.ChaosMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The order service, wired: Javalin on Jetty 12, downstream clients under Resilience4j, JDBC over HikariCP and a
 * Prometheus registry. {@link #start(ServiceConfig)} returns it serving; {@link #close()} stops every thread it
 * started.
 */
public final class SampleApp implements AutoCloseable {

    private final List<AutoCloseable> closeables;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json;
    private final OrderRepository repository;
    private final HikariDataSource dataSource;
    private final Resilience resilience;
    private final OrderService orders;
    private final ServiceConfig config;
    private final CallTally calls = new CallTally();
    private final Javalin javalin;

    private SampleApp(ServiceConfig config, List<AutoCloseable> opened) {
        this.config = config;
        this.closeables = opened;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the Grafana dashboard selects by application
        registry.config().commonTags("application", "sample-service");

        URI inventoryUri = config.inventoryUri();
        URI pricingUri = config.pricingUri();
        if (inventoryUri == null || pricingUri == null) {
            FakeDownstreams fakes = FakeDownstreams.start();
            closeables.add(fakes);
            inventoryUri = inventoryUri == null ? fakes.inventoryUri() : inventoryUri;
            pricingUri = pricingUri == null ? fakes.pricingUri() : pricingUri;
        }
        DownstreamHttp inventoryHttp = new DownstreamHttp("inventory", inventoryUri, config.connectTimeout(),
                config.requestTimeout(), json);
        closeables.add(inventoryHttp);
        DownstreamHttp pricingHttp = new DownstreamHttp("pricing", pricingUri, config.connectTimeout(),
                config.requestTimeout(), json);
        closeables.add(pricingHttp);

        this.dataSource = dataSource(config, registry);
        closeables.add(dataSource);
        this.repository = new OrderRepository(dataSource);
        repository.createSchema();

        this.resilience = new Resilience(config.callTimeout());
        resilience.bindTo(registry);
        // jchaos_* meters, and Micrometer's JvmThreadMetrics (jvm_threads_*) which ChaosMetrics binds alongside
        new ChaosMetrics().observe(resilience.timeLimiters()).bindTo(registry);
        // registers dev.jchaos:type=ChaosController, so an operator can toggle points over JMX
        Chaos.controller();
        closeables.add(resilience);
        PricingClient pricing = new PricingClient(pricingHttp);
        calls.observe(resilience.timeLimiters());
        LegacyPricingQuotes legacy = config.leaky() ? new LegacyPricingQuotes(pricing, config.callTimeout(), calls)
                : null;
        InFlightOrders inFlight = new InFlightOrders();
        closeables.add(inFlight);
        this.orders = new OrderService(new InventoryClient(inventoryHttp), pricing, repository, resilience, legacy,
                inFlight);

        // Idle request threads leave after two seconds, so a burst's extra threads are gone soon after it.
        QueuedThreadPool threads = new QueuedThreadPool(64, 8, 2_000);
        threads.setName("http-server");
        threads.setMaxEvictCount(64);
        new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
        this.javalin = Javalin.create(javalinConfig -> {
            javalinConfig.startup.showJavalinBanner = false;
            // its watcher is a stray sleeping thread per start; start() failing is reported anyway
            javalinConfig.startup.startupWatcherEnabled = false;
            javalinConfig.jetty.threadPool = threads;
            javalinConfig.jetty.host = "127.0.0.1";
            javalinConfig.jetty.modifyServer(server -> JettyConnectionMetrics.addToAllConnectors(server, registry));
            routes(javalinConfig);
        });
        closeables.add(javalin::stop);
    }

    /**
     * Starts the service as {@code config} says.
     *
     * @throws IllegalStateException when a part cannot start; whatever had started is stopped again
     */
    public static SampleApp start(ServiceConfig config) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            SampleApp app = new SampleApp(config, opened);
            app.javalin.start(config.port());
            return app;
        } catch (RuntimeException e) {
            RuntimeException failure = closeAll(opened, null);
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
    }

    private void routes(io.javalin.config.JavalinConfig javalinConfig) {
        var routes = javalinConfig.routes;
        routes.post("/orders", ctx -> {
            Order order = orders.place(OrderRequest.parse(json, ctx.body()));
            ctx.header("Location", "/orders/" + order.id());
            send(ctx, 201, order);
        });
        routes.get("/orders/{id}", ctx -> send(ctx, 200, orders.find(ctx.pathParam("id"))));
        routes.get("/health", this::health);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(registry.scrape()));
        routes.exception(BadRequestException.class, (e, ctx) -> error(ctx, 400, "bad_request", e.getMessage()));
        routes.exception(OrderNotFoundException.class, (e, ctx) -> error(ctx, 404, "not_found", e.getMessage()));
        routes.exception(OutOfStockException.class, (e, ctx) -> error(ctx, 409, "out_of_stock", e.getMessage()));
        routes.exception(DownstreamUnavailableException.class, (e, ctx) -> {
            ObjectNode body = errorBody("downstream_unavailable", e.getMessage());
            body.put("downstream", e.downstream());
            body.put("reason", e.reason().code());
            ctx.header("Retry-After", "1");
            send(ctx, 503, body);
        });
        routes.exception(DatabaseUnavailableException.class,
                (e, ctx) -> error(ctx, 503, "database_unavailable", e.getMessage()));
    }

    private void health(Context ctx) {
        ObjectNode body = json.createObjectNode();
        boolean up;
        try (Connection connection = dataSource.getConnection()) {
            up = connection.isValid(1);
        } catch (SQLException e) {
            up = false;
        }
        body.put("status", up ? "UP" : "DOWN");
        body.put("database", up ? "UP" : "DOWN");
        body.put("legacyPricing", config.leaky());
        body.put("ordersInFlight", orders.inFlight());
        send(ctx, up ? 200 : 503, body);
    }

    private void error(Context ctx, int status, String code, String message) {
        send(ctx, status, errorBody(code, message));
    }

    private ObjectNode errorBody(String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static HikariDataSource dataSource(ServiceConfig config, PrometheusMeterRegistry registry) {
        HikariConfig hikari = new HikariConfig();
        String url = config.jdbcUrl() != null ? config.jdbcUrl()
                : "jdbc:h2:mem:orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        hikari.setJdbcUrl(url);
        if (config.jdbcUser() != null) {
            hikari.setUsername(config.jdbcUser());
        }
        if (config.jdbcPassword() != null) {
            hikari.setPassword(config.jdbcPassword());
        }
        hikari.setPoolName("orders-db");
        hikari.setMaximumPoolSize(10);
        hikari.setMinimumIdle(10);
        hikari.setConnectionTimeout(2_000);
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the order database at " + url + ": " + e.getMessage(), e);
        }
    }

    /** The port the service listens on (loopback). */
    public int port() {
        return javalin.port();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Resilience4j registries, for binding further metrics. */
    public Resilience resilience() {
        return resilience;
    }

    /** Downstream calls and timeouts so far. */
    CallTally calls() {
        return calls;
    }

    /** The order store. */
    public OrderRepository repository() {
        return repository;
    }

    /** Stops the HTTP server, then every client, pool and fake it started, newest first. */
    @Override
    public void close() {
        RuntimeException failure = closeAll(closeables, null);
        registry.close();
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeAll(List<AutoCloseable> opened, RuntimeException failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot stop " + opened.get(i) + ": " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        return failure;
    }
}
