package dev.jchaos.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jchaos.sample.DownstreamUnavailableException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JSON over {@link HttpClient} to one downstream service, with connect and request timeouts. Every failure
 * becomes a {@link DownstreamUnavailableException} whose reason says what went wrong.
 */
final class DownstreamHttp implements AutoCloseable {

    private final String name;
    private final URI base;
    private final Duration requestTimeout;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final HttpClient client;

    DownstreamHttp(String name, URI base, Duration connectTimeout, Duration requestTimeout, ObjectMapper json) {
        this.name = name;
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.json = json;
        // Idle workers leave after two seconds so that a burst does not look like a leak afterwards.
        this.executor = new ThreadPoolExecutor(0, 64, 2, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new NamedThreads(name + "-http", true), new ThreadPoolExecutor.CallerRunsPolicy());
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** GETs {@code path} and returns the JSON body. */
    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** POSTs {@code body} as JSON to {@code path} and returns the JSON answer. */
    JsonNode post(String path, Object body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write request body " + body, e);
        }
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(requestTimeout).header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new DownstreamUnavailableException(name, Reason.CONNECTION, "connect timed out to " + base, e);
        } catch (HttpTimeoutException e) {
            throw new DownstreamUnavailableException(name, Reason.TIMEOUT,
                    "no answer from " + request.uri() + " within " + requestTimeout.toMillis() + "ms", e);
        } catch (ConnectException e) {
            throw new DownstreamUnavailableException(name, Reason.CONNECTION, "cannot connect to " + base, e);
        } catch (IOException e) {
            throw new DownstreamUnavailableException(name, Reason.CONNECTION,
                    request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException(name, Reason.TIMEOUT, "interrupted while waiting", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new DownstreamUnavailableException(name, Reason.BAD_RESPONSE,
                    request.method() + " " + request.uri() + " answered " + response.statusCode(), null);
        }
        try {
            JsonNode node = json.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new DownstreamUnavailableException(name, Reason.BAD_RESPONSE,
                        "expected a JSON object from " + request.uri() + " but got: " + abbreviate(response.body()), null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new DownstreamUnavailableException(name, Reason.BAD_RESPONSE,
                    "malformed JSON from " + request.uri() + ": " + abbreviate(response.body()), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
