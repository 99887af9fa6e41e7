package dev.jchaos.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open-model load generator: fires requests at a fixed rate whether or not earlier ones have answered (as real
 * users do), up to a cap of requests in flight. Mostly {@code POST /orders}, some {@code GET /orders/{id}}. Its
 * threads are daemons named {@code jchaos-load-*}.
 */
final class LoadGenerator implements AutoCloseable {

    /** How one request ended. */
    enum Outcome { OK, TIMEOUT, ERROR }

    private final URI base;
    private final int rps;
    private final Duration clientTimeout;
    private final Semaphore inFlight;
    private final ThreadPoolExecutor httpWorkers;
    private final HttpClient client;
    private final ScheduledExecutorService pacer;
    private final AtomicReference<String> lastOrderId = new AtomicReference<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Object lock = new Object();
    private Window window = new Window();

    LoadGenerator(URI base, int rps, Duration clientTimeout, int maxInFlight) {
        if (rps < 1 || rps > 2000) {
            throw new IllegalArgumentException("--rps must be from 1 to 2000 but was " + rps);
        }
        this.base = base;
        this.rps = rps;
        this.clientTimeout = clientTimeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.httpWorkers = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), new NamedThreads("jchaos-load-http", true));
        httpWorkers.prestartAllCoreThreads();
        this.client = HttpClient.newBuilder().executor(httpWorkers).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        this.pacer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("jchaos-load-pacer", true));
    }

    /**
     * Sends {@code count} requests one after another and waits for each, so that class loading and the JIT's first
     * pass happen before the measured load and not as a burst of cold-start timeouts.
     */
    void warmUp(int count) {
        for (int i = 0; i < count; i++) {
            try {
                client.send(nextRequest(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                // a cold service may answer late; the warm-up only has to run the code paths
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts firing requests. */
    void start() {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rps;
        pacer.scheduleAtFixedRate(this::fire, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** The requests that finished since the last call, and clears them. */
    Window drain() {
        synchronized (lock) {
            Window done = window;
            window = new Window();
            return done;
        }
    }

    private void fire() {
        if (!inFlight.tryAcquire()) {
            synchronized (lock) {
                window.dropped++;
            }
            return;
        }
        HttpRequest request = nextRequest();
        long start = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            inFlight.release();
            long micros = (System.nanoTime() - start) / 1_000;
            Outcome outcome;
            String kind;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                outcome = cause instanceof HttpTimeoutException ? Outcome.TIMEOUT : Outcome.ERROR;
                kind = cause instanceof HttpTimeoutException ? "client timeout" : cause.getClass().getSimpleName();
            } else if (response.statusCode() / 100 == 2) {
                outcome = Outcome.OK;
                kind = null;
                if (response.statusCode() == 201) {
                    lastOrderId.set(idOf(response.body()));
                }
            } else {
                String reason = field(response.body(), "reason");
                String downstream = field(response.body(), "downstream");
                outcome = "timeout".equals(reason) ? Outcome.TIMEOUT : Outcome.ERROR;
                kind = response.statusCode() + (reason == null ? "" : " " + downstream + " " + reason);
            }
            synchronized (lock) {
                window.record(outcome, micros);
                if (kind != null) {
                    window.errorKinds.merge(kind, 1, Integer::sum);
                }
            }
        });
    }

    private HttpRequest nextRequest() {
        long n = sequence.incrementAndGet();
        String id = lastOrderId.get();
        HttpRequest.Builder builder;
        if (id != null && n % 7 == 0) {
            builder = HttpRequest.newBuilder(base.resolve("/orders/" + id)).GET();
        } else {
            String body = "{\"sku\":\"SKU-" + (n % 20) + "\",\"quantity\":" + (1 + ThreadLocalRandom.current().nextInt(3))
                    + "}";
            builder = HttpRequest.newBuilder(base.resolve("/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return builder.timeout(clientTimeout).build();
    }

    private static String idOf(String body) {
        return field(body, "id");
    }

    /** A top-level string field of a small JSON answer; enough for the service's own bodies. */
    private static String field(String body, String name) {
        String key = "\"" + name + "\":\"";
        int at = body.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int to = body.indexOf('"', from);
        return to > from ? body.substring(from, to) : null;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        httpWorkers.shutdownNow();
        try {
            pacer.awaitTermination(5, TimeUnit.SECONDS);
            httpWorkers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests finished within one interval. */
    static final class Window {
        int ok;
        int timeouts;
        int errors;
        int dropped;
        final java.util.Map<String, Integer> errorKinds = new java.util.TreeMap<>();
        private final List<Long> latenciesMicros = new ArrayList<>();

        void record(Outcome outcome, long micros) {
            switch (outcome) {
                case OK -> ok++;
                case TIMEOUT -> timeouts++;
                default -> errors++;
            }
            latenciesMicros.add(micros);
        }

        /** Finished requests, whatever their outcome. */
        int finished() {
            return ok + timeouts + errors;
        }

        /** The latencies of the finished requests, sorted, in microseconds. */
        long[] sortedLatencies() {
            long[] sorted = latenciesMicros.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** The nearest-rank {@code q}-quantile of sorted values, 0 when there are none. */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
