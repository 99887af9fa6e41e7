package dev.jchaos.core.it.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Joiner;
import com.google.common.base.Splitter;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.LinkedHashMultimap;
import com.google.common.collect.Multimap;
import com.google.common.collect.Ordering;
import com.google.common.hash.Hashing;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real work with each swept library; each returns a digest of what it computed, so a woven run can be compared with
 * an unwoven one.
 */
final class LibraryWorkout {

    private LibraryWorkout() {
    }

    static String jackson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", "o-1");
        order.put("lines", List.of(Map.of("sku", "ABC-1", "quantity", 2), Map.of("sku", "XYZ-9", "quantity", 1)));
        order.put("total", 12.5);
        String json = mapper.writeValueAsString(order);
        JsonNode tree = mapper.readTree(json);
        ObjectNode copy = tree.deepCopy();
        copy.put("status", "PLACED");
        @SuppressWarnings("unchecked")
        Map<String, Object> back = mapper.readValue(mapper.writeValueAsBytes(copy), Map.class);
        return json + "|" + tree.path("lines").size() + "|" + back.get("status") + "|"
                + mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree).length();
    }

    static String guava() throws Exception {
        List<String> parts = Splitter.on(',').trimResults().omitEmptyStrings().splitToList(" b, a ,, c ,a");
        ImmutableList<String> sorted = ImmutableList.sortedCopyOf(Ordering.natural(), parts);
        Multimap<String, Integer> multimap = LinkedHashMultimap.create();
        for (int i = 0; i < 20; i++) {
            multimap.put("k" + (i % 3), i);
        }
        LoadingCache<Integer, String> cache = CacheBuilder.newBuilder().maximumSize(8)
                .build(CacheLoader.from(i -> "v" + i * i));
        StringBuilder loaded = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            loaded.append(cache.get(i % 10));
        }
        String hash = Hashing.sha256().hashString("jchaos", StandardCharsets.UTF_8).toString();
        ImmutableSortedMap<String, Integer> sizes = ImmutableSortedMap.of("b", 2, "a", 1, "c", 3);
        return Joiner.on('/').join(sorted) + "|" + multimap + "|" + loaded + "|" + hash + "|" + sizes;
    }

    static String h2() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:sweep" + System.nanoTime())) {
            try (Statement s = db.createStatement()) {
                s.execute("create table orders (id int primary key, sku varchar(20), quantity int)");
            }
            try (PreparedStatement insert = db.prepareStatement("insert into orders values (?, ?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "SKU-" + (i % 7));
                    insert.setInt(3, i % 5 + 1);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            List<String> rows = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("select sku, sum(quantity), count(*) from orders group by sku order by sku")) {
                while (r.next()) {
                    rows.add(r.getString(1) + "=" + r.getInt(2) + "/" + r.getInt(3));
                }
            }
            return String.join(",", rows);
        }
    }

    static String jetty() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "text/plain");
                response.write(true, ByteBuffer.wrap(("hello " + Request.getPathInContext(request))
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        HttpClient client = new HttpClient();
        client.start();
        try {
            StringBuilder bodies = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                ContentResponse response = client.GET("http://127.0.0.1:" + connector.getLocalPort() + "/p" + i);
                bodies.append(response.getStatus()).append(':').append(response.getContentAsString()).append(';');
            }
            return bodies.toString();
        } finally {
            client.stop();
            server.stop();
        }
    }

    static String all() throws Exception {
        return jackson() + "\n" + guava() + "\n" + h2() + "\n" + jetty();
    }
}
