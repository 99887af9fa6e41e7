package dev.jchaos.core.internal.cli;

import dev.jchaos.core.internal.MiniJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JVM through its Jolokia agent (the HTTP-JMX bridge): Jolokia's JSON protocol, POSTed to the agent's URL, on the
 * same MBean as by pid. Needs nothing but the JDK.
 */
final class JolokiaTarget implements Target {

    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final URI url;
    private final HttpClient http;

    JolokiaTarget(URI url, HttpClient http) {
        this.url = url;
        this.http = http;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String name() {
        return url.toString();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> read(List<String> attributes) {
        StringBuilder names = new StringBuilder();
        for (String a : attributes) {
            names.append(names.length() == 0 ? "" : ",").append(json(a));
        }
        Object value = call("{\"type\":\"read\",\"mbean\":" + json(CONTROLLER) + ",\"attribute\":[" + names + "]}");
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> values = value instanceof Map ? (Map<String, Object>) value : Map.of();
        for (String a : attributes) {
            result.put(a, shown(values.get(a)));
        }
        return result;
    }

    @Override
    public void write(String attribute, Object value) {
        String v = value instanceof String ? json((String) value) : String.valueOf(value);
        call("{\"type\":\"write\",\"mbean\":" + json(CONTROLLER) + ",\"attribute\":" + json(attribute)
                + ",\"value\":" + v + "}");
    }

    @Override
    public Object exec(String operation, String... arguments) {
        StringBuilder args = new StringBuilder();
        for (String a : arguments) {
            args.append(args.length() == 0 ? "" : ",").append(a == null ? "null" : json(a));
        }
        return shown(call("{\"type\":\"exec\",\"mbean\":" + json(CONTROLLER) + ",\"operation\":" + json(operation)
                + ",\"arguments\":[" + args + "]}"));
    }

    @Override
    public String threads() {
        return String.valueOf(exec("threads"));
    }

    /** POSTs one Jolokia request and returns its {@code value}. */
    @SuppressWarnings("unchecked")
    private Object call(String request) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(ANSWER)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.nio.channels.UnresolvedAddressException
                        || c instanceof java.net.UnknownHostException) {
                    throw new Unreachable(name() + ": unknown host " + url.getHost(), e);
                }
            }
            throw new Unreachable(name() + ": connection refused (is a Jolokia agent listening there?)", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(name() + ": no answer within " + ANSWER.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new Unreachable(name() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(name() + ": interrupted", e);
        }
        Object body;
        try {
            body = MiniJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new Unreachable(name() + ": HTTP " + response.statusCode() + " and no Jolokia answer (is the URL "
                    + "the agent's, such as http://host:8778/jolokia/?)");
        }
        if (!(body instanceof Map)) {
            throw new Unreachable(name() + ": not a Jolokia answer: " + abbreviated(response.body()));
        }
        Map<String, Object> answer = (Map<String, Object>) body;
        String status = String.valueOf(answer.get("status"));
        if (status.equals("200")) {
            return answer.get("value");
        }
        String type = String.valueOf(answer.get("error_type"));
        String error = String.valueOf(answer.get("error"));
        // Jolokia prefixes the message with the exception's class
        int colon = error.indexOf(" : ");
        String message = colon >= 0 && error.startsWith(type) ? error.substring(colon + 3) : error;
        if (type.endsWith("InstanceNotFoundException")) {
            throw new Unreachable(name() + ": no jchaos in that JVM (no " + CONTROLLER + " MBean): start it with "
                    + "-javaagent:" + Cli.agentJarHint());
        }
        if (type.equals(IllegalArgumentException.class.getName())) {
            throw new Refused(name() + ": refused, nothing was changed: " + message);
        }
        throw new Unreachable(name() + ": Jolokia status " + status + ": " + message);
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @SuppressWarnings("unchecked")
    private static Object shown(Object value) {
        if (value instanceof List) {
            List<Object> shown = new ArrayList<>();
            for (Object item : (List<Object>) value) {
                if (item instanceof Map) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    ((Map<String, Object>) item).forEach((k, v) -> row.put(k, v == null ? null : String.valueOf(v)));
                    shown.add(row);
                } else {
                    shown.add(item == null ? null : String.valueOf(item));
                }
            }
            return shown;
        }
        return value;
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() {
        // the shared HTTP client is the caller's
    }
}
