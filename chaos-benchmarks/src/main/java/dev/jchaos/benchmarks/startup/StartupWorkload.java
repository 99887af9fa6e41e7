package dev.jchaos.benchmarks.startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A small application that loads a few thousand classes the way a service does at start: a Spring context with an
 * AOP proxy, JSON through Jackson, SQL through an in-memory H2 database,
 * XML through the JDK, a SpEL expression, Micrometer timers, JVM metrics over JMX
 * and an HTTP client. It ends by printing {@code classes=<loaded>} and {@code cpu=<process CPU nanoseconds>}, the lines
 * {@link StartupComparison} reads. With {@code -D}{@value #COUNT_POINTS}{@code =true} and the jchaos agent present it
 * then lists jchaos's points and prints {@code woven=<classes with points>} and {@code firstUse=<nanoseconds>}, how
 * long that listing took: with a dormant agent it is chaos's first use, which begins weaving. Measured runs leave it
 * out, as an application that does not use chaos while it starts does.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -cp target/benchmarks.jar dev.jchaos.benchmarks.startup.StartupWorkload}</pre>
 */
public final class StartupWorkload {

    /** The system property that makes the workload list jchaos's points at its end. */
    public static final String COUNT_POINTS = "workload.countPoints";

    private StartupWorkload() {
    }

    /** An order as the workload stores and serialises it. */
    public record Order(long id, String customer, List<String> items, double total) {
    }

    /** The workload's Spring configuration: a repository-like bean and a service proxied by Spring AOP. */
    @Configuration
    public static class AppConfig {
        @Bean
        public ObjectMapper objectMapper() {
            return new ObjectMapper();
        }

        @Bean
        public Pricing pricing() {
            ProxyFactory factory = new ProxyFactory(new Pricing());
            factory.setProxyTargetClass(true);
            factory.addAdvice((org.aopalliance.intercept.MethodInterceptor) invocation -> invocation.proceed());
            return (Pricing) factory.getProxy();
        }
    }

    /**
     * Runs the workload and prints what {@link StartupComparison} parses.
     *
     * @throws Exception when the embedded database or JSON round trip fails, which fails the comparison run
     */
    public static void main(String[] args) throws Exception {
        List<Order> orders = new ArrayList<>();
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(AppConfig.class)) {
            Pricing pricing = context.getBean(Pricing.class);
            for (long id = 1; id <= 20; id++) {
                List<String> items = List.of("item-" + id, "item-" + (id + 1));
                orders.add(new Order(id, "customer-" + id % 3, items, pricing.total(items)));
            }
            ObjectMapper mapper = context.getBean(ObjectMapper.class);
            String json = mapper.writeValueAsString(orders);
            JsonNode tree = mapper.readTree(json);
            Order first = mapper.treeToValue(tree.get(0), Order.class);
            Map<?, ?> asMap = mapper.readValue(mapper.writeValueAsString(first), Map.class);
            if (tree.size() != orders.size() || !asMap.containsKey("customer")) {
                throw new IllegalStateException("JSON round trip lost data: " + json);
            }
        }
        long stored = store(orders);
        String xml = toXml(orders);
        Expression richest = new SpelExpressionParser().parseExpression("items.size() * 2 + total");
        double score = richest.getValue(orders.get(0), Double.class);
        if (!xml.contains("customer-1") || score <= 0) {
            throw new IllegalStateException("XML or SpEL step failed: " + score);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Timer timer = Timer.builder("workload.orders").tag("kind", "store").register(registry);
        timer.record(() -> orders.forEach(o -> o.items().size()));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        // builds a client and a request as a service wiring its HTTP dependencies would; nothing is sent
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:1/orders"))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(1)).build();
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        int mbeans = ManagementFactory.getPlatformMBeanServer().getMBeanCount();
        if (registry.getMeters().size() < 4 || mbeans == 0 || request.uri().getPort() != 1) {
            throw new IllegalStateException("JVM metrics not bound: " + registry.getMeters().size());
        }
        registry.close();
        if (stored != orders.size()) {
            throw new IllegalStateException("stored " + stored + " of " + orders.size() + " orders");
        }
        System.out.println("classes=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        // CPU time is printed too because, unlike wall time, it hardly grows when other processes share the cores
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            System.out.println("cpu=" + os.getProcessCpuTime());
        }
        if (Boolean.getBoolean(COUNT_POINTS)) {
            long start = System.nanoTime();
            java.util.Optional<Long> woven = wovenByJchaos();
            long took = System.nanoTime() - start;
            woven.ifPresent(n -> System.out.println("woven=" + n + "\nfirstUse=" + took));
        }
    }

    private static String toXml(List<Order> orders) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        Element root = document.createElement("orders");
        document.appendChild(root);
        for (Order order : orders) {
            Element element = document.createElement("order");
            element.setAttribute("id", Long.toString(order.id()));
            element.setAttribute("customer", order.customer());
            root.appendChild(element);
        }
        StringWriter out = new StringWriter();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(document), new StreamResult(out));
        return out.toString();
    }

    private static long store(List<Order> orders) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:workload;DB_CLOSE_DELAY=0")) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("create table orders (id bigint primary key, customer varchar(64), total double)");
            }
            try (PreparedStatement insert = connection.prepareStatement("insert into orders values (?, ?, ?)")) {
                for (Order order : orders) {
                    insert.setLong(1, order.id());
                    insert.setString(2, order.customer());
                    insert.setDouble(3, order.total());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Statement query = connection.createStatement();
                 ResultSet rows = query.executeQuery(
                         "select customer, count(*), sum(total) from orders group by customer order by customer")) {
                long count = 0;
                while (rows.next()) {
                    count += rows.getLong(2);
                }
                return count;
            }
        }
    }

    /**
     * The number of classes that declare jchaos points, when the jchaos agent is loaded; looked up reflectively so
     * that runs without the agent load nothing of jchaos.
     */
    private static java.util.Optional<Long> wovenByJchaos() {
        try {
            Class<?> chaos = Class.forName("dev.jchaos.core.Chaos");
            if (!(Boolean) chaos.getMethod("agentInstalled").invoke(null)) {
                return java.util.Optional.empty();
            }
            Object controller = chaos.getMethod("controller").invoke(null);
            List<?> points = (List<?>) controller.getClass().getMethod("points").invoke(controller);
            long classes = points.stream().map(StartupWorkload::declaringClass).distinct().count();
            return java.util.Optional.of(classes);
        } catch (ClassNotFoundException e) {
            return java.util.Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read jchaos points", e);
        }
    }

    private static String declaringClass(Object point) {
        try {
            String declaredBy = (String) point.getClass().getMethod("declaredBy").invoke(point);
            int hash = declaredBy.indexOf('#');
            return hash < 0 ? declaredBy : declaredBy.substring(0, hash);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a jchaos point", e);
        }
    }
}
