package dev.jchaos.core.it;

import dev.jchaos.core.Chaos;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web application in a real embedded Tomcat, loaded by Tomcat's own (child-first) web application class loader,
 * with chaos-annotations and chaos-core in its WEB-INF/lib: its point is driven over JMX like any other, and
 * undeploying it leaves nothing of jchaos holding its class loader.
 */
class TomcatWebappIT {

    private static final String SERVLET = String.join("\n",
            "package shop;",
            "public class QuoteServlet extends jakarta.servlet.http.HttpServlet {",
            "  @Override protected void doGet(jakarta.servlet.http.HttpServletRequest req,",
            "      jakarta.servlet.http.HttpServletResponse resp) throws java.io.IOException {",
            "    resp.setContentType(\"text/plain\");",
            "    resp.getWriter().print(\"quote=\" + Quotes.quote() + \" loader=\"",
            "        + Quotes.class.getClassLoader().getClass().getName()",
            "        + \" enabled=\" + dev.jchaos.core.Chaos.controller().isEnabled());",
            "  }",
            "}");
    private static final String QUOTES = String.join("\n",
            "package shop;",
            "public class Quotes {",
            "  @dev.jchaos.annotations.InjectDelay",
            "  public static int quote() { return 42; }",
            "}");

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void agent() {
        Chaos.installAgent();
    }

    @Test
    void webappPointIsDelayedOverJmxAndUndeployFreesItsLoader(@TempDir Path dir) throws Exception {
        Path webapp = webapp(dir.resolve("shop"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        Context context = tomcat.addContext("/shop", webapp.toString());
        Tomcat.addServlet(context, "quote", "shop.QuoteServlet").addMapping("/quote");
        tomcat.start();
        WeakReference<ClassLoader> webappLoader;
        try {
            String url = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/shop/quote";
            webappLoader = new WeakReference<>(context.getLoader().getClassLoader());
            assertThat(webappLoader.get().getClass().getName()).contains("WebappClassLoader");

            Timed plain = get(url);
            assertThat(plain.body).startsWith("quote=42 loader=org.apache.catalina.loader.ParallelWebappClassLoader")
                    .endsWith("enabled=false");

            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("dev.jchaos:type=ChaosController");
            jmx.setAttribute(name, new Attribute("Enabled", true));
            jmx.invoke(name, "activate", new Object[] {"shop.Quotes#quote", "delay(400ms)"},
                    new String[] {String.class.getName(), String.class.getName()});
            Timed delayed = get(url);
            assertThat(delayed.millis).isBetween(395L, 5_000L);
            // the web application's own copy of chaos-core is a view of the JVM's one controller
            assertThat(delayed.body).endsWith("enabled=true");

            jmx.invoke(name, "deactivateAll", new Object[0], new String[0]);
            jmx.setAttribute(name, new Attribute("Enabled", false));
            assertThat(get(url).millis).isLessThan(300L);
            assertThat(Chaos.controller().points()).anySatisfy(p -> {
                assertThat(p.id()).isEqualTo("shop.Quotes#quote");
                assertThat(p.calls()).isEqualTo(1);
                assertThat(p.injections()).isEqualTo(1);
            });
        } finally {
            tomcat.getHost().removeChild(context);
            tomcat.stop();
            tomcat.destroy();
        }
        context = null;
        tomcat = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (webappLoader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        assertThat(webappLoader.get()).as("the undeployed web application's loader was collected").isNull();
    }

    private record Timed(String body, long millis) {
    }

    private Timed get(String url) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new Timed(response.body(), millis);
    }

    /** Compiles the servlet into WEB-INF/classes and puts jchaos's jars in WEB-INF/lib, as a war would hold them. */
    private static Path webapp(Path root) throws Exception {
        Path sources = Files.createDirectories(root.resolve("src/shop"));
        Files.writeString(sources.resolve("QuoteServlet.java"), SERVLET);
        Files.writeString(sources.resolve("Quotes.java"), QUOTES);
        Path classes = Files.createDirectories(root.resolve("WEB-INF/classes"));
        Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
        Path annotations = Paths.get(System.getProperty("jchaos.test.annotationsJar"));
        Path core = Paths.get(System.getProperty("jchaos.test.agentJar").replace("-agent.jar", ".jar"));
        Files.copy(annotations, lib.resolve(annotations.getFileName()));
        Files.copy(core, lib.resolve(core.getFileName()));
        String servletApi = Paths.get(Tomcat.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), "-cp",
                String.join(File.pathSeparator, List.of(servletApi, annotations.toString(), core.toString())),
                sources.resolve("QuoteServlet.java").toString(), sources.resolve("Quotes.java").toString());
        assertThat(status).as("servlet compiled").isZero();
        return root;
    }
}
