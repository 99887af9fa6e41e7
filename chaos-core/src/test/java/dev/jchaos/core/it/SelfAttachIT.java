package dev.jchaos.core.it;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.ChaosConfigException;
import dev.jchaos.core.ChaosController;
import dev.jchaos.core.it.fixtures.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent installed into this very JVM by {@code Chaos.installAgent()}, with no JVM flags. */
class SelfAttachIT {

    private static final String FIXTURES = "dev.jchaos.core.it.fixtures.";

    @BeforeAll
    static void install() {
        // loaded before the agent: must be retransformed
        assertThat(Work.plain(1)).isEqualTo(2);
        Chaos.installAgent();
        Chaos.installAgent();
    }

    @AfterEach
    void disarm() {
        Chaos.controller().deactivateAll();
        Chaos.controller().setEnabled(false);
    }

    @Test
    void installAgentNeedsNoFlagsAndIsIdempotent() {
        assertThat(Chaos.agentInstalled()).isTrue();
        assertThat(Chaos.controller()).isSameAs(Chaos.controller());
    }

    @Test
    void classLoadedBeforeTheAgentIsWoven() {
        ChaosController c = Chaos.controller();
        long before = injections(c, "fixture.work");
        c.setEnabled(true);
        c.activate("fixture.work", "delay(150ms)");
        assertThat(Work.timeDeclared()).isBetween(145L, 5_000L);
        c.deactivate("fixture.work");
        assertThat(Work.timeDeclared()).isLessThan(100L);
        assertThat(c.points()).anySatisfy(p -> {
            assertThat(p.id()).isEqualTo("fixture.work");
            assertThat(p.declaredBy()).isEqualTo(FIXTURES + "Work#declared");
        });
        assertThat(injections(c, "fixture.work") - before).isEqualTo(1);
    }

    private static long injections(ChaosController c, String id) {
        return c.points().stream().filter(p -> p.id().equals(id)).mapToLong(p -> p.injections()).sum();
    }

    @Test
    void unannotatedMethodBecomesAPointWhenTargeted() {
        ChaosController c = Chaos.controller();
        c.setEnabled(true);
        c.activate(FIXTURES + "Work#plain", "delay(120ms)");
        assertThat(Work.timePlain()).isBetween(115L, 5_000L);
        c.deactivateAll();
        assertThat(Work.timePlain()).isLessThan(100L);
    }

    @Test
    void targetingAMethodThatDoesNotExistFailsAndChangesNothing() {
        ChaosController c = Chaos.controller();
        assertThatThrownBy(() -> c.activate(FIXTURES + "Work#missing", "delay(1ms)"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("declares no method 'missing'");
        assertThatThrownBy(() -> c.activate("java.lang.Thread#sleep", "delay(1ms)"))
                .hasMessageContaining("cannot target java.lang.Thread: it is a class of the JDK or of jchaos");
        // jchaos's dispatch runs on HashMap: woven, HashMap#get would call itself back until the stack overflows
        assertThatThrownBy(() -> c.activate("java.util.HashMap#get", "delay(1ms)"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("cannot target java.util.HashMap: it is a class of the JDK or of jchaos");
        // the JDK under other package names is told by its loader
        assertThat(org.w3c.dom.Node.class.getClassLoader()).isNull();
        assertThatThrownBy(() -> c.activate("org.w3c.dom.Node#getNodeName", "delay(1ms)"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("cannot target org.w3c.dom.Node: it is a class of the JDK or of jchaos");
        // and by its module's packages before it loads, at column 1: the class is the problem, not the method
        assertThatThrownBy(() -> c.activate("org.ietf.jgss.Oid#getDER", "delay(1ms)"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("cannot target org.ietf.jgss.Oid: it is a class of the JDK or of jchaos")
                .hasMessageContaining("at column 1");
        assertThat(new java.util.HashMap<>(java.util.Map.of("k", "v")).get("k")).isEqualTo("v");
        assertThat(c.activations()).isEmpty();
    }

    /** A throw the loaded method could not throw is refused before the method is woven: no point, no row. */
    @Test
    void targetingWithAnUndeclaredCheckedThrowIsRefusedBeforeAnythingIsWoven() throws Exception {
        ChaosController c = Chaos.controller();
        String id = FIXTURES + "Work#parse";
        assertThat(Work.parse("abc")).isEqualTo(3); // loaded, so the refusal comes from its real declaration
        assertThatThrownBy(() -> c.activate(id, "throw(java.io.IOException)"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("throw(java.io.IOException) cannot be injected into " + id)
                .hasMessageContaining("it declares java.util.zip.DataFormatException")
                .hasMessageContaining("at column 7");
        assertThatThrownBy(() -> c.setActivations(java.util.Map.of(id, "3*delay(1ms)->throw(java.io.IOException)")))
                .isInstanceOf(ChaosConfigException.class);
        assertThatThrownBy(() -> c.activate(id, "throw(java.text.ParseException,boom)"))
                .hasMessageContaining("java.text.ParseException has no public constructor taking a message");
        assertThat(c.points()).noneSatisfy(p -> assertThat(p.id()).isEqualTo(id));
        assertThat(c.activations()).isEmpty();

        // what it declares, and an unchecked one, are accepted, and woven then
        c.setEnabled(true);
        c.activate(id, "throw(java.util.zip.DataFormatException,injected)");
        assertThatThrownBy(() -> Work.parse("abc")).isInstanceOf(java.util.zip.DataFormatException.class)
                .hasMessage("injected");
        c.activate(id, "throw(java.lang.IllegalStateException)");
        assertThatThrownBy(() -> Work.parse("abc")).isInstanceOf(IllegalStateException.class);
        assertThat(c.points()).anySatisfy(p -> assertThat(p.id()).isEqualTo(id));
    }

    @Test
    void pointInAChildOfThePlatformLoaderWithItsOwnAnnotationsReachesTheController() throws Exception {
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {testClasses(), annotationsJar()},
                ClassLoader.getPlatformClassLoader())) {
            assertIsolatedPointIsDelayed(isolated);
        }
    }

    @Test
    void pointInAChildFirstLoaderUnderTheSystemLoaderReachesTheController() throws Exception {
        try (URLClassLoader childFirst = new ChildFirst(new URL[] {testClasses(), annotationsJar()})) {
            assertIsolatedPointIsDelayed(childFirst);
        }
    }

    @Test
    void secondCopyOfJchaosInAnotherLoaderControlsTheSameController() throws Exception {
        URL core = new File(System.getProperty("jchaos.test.agentJar").replace("-agent.jar", ".jar")).toURI().toURL();
        try (URLClassLoader copy = new URLClassLoader(new URL[] {core, annotationsJar()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> chaos = copy.loadClass("dev.jchaos.core.Chaos");
            assertThat(chaos).isNotSameAs(Chaos.class);
            Object foreign = chaos.getMethod("controller").invoke(null);
            assertThat(foreign.getClass().getSimpleName()).isEqualTo("ForeignController");
            Class<?> api = copy.loadClass("dev.jchaos.core.ChaosController");
            api.getMethod("setEnabled", boolean.class).invoke(foreign, true);
            api.getMethod("activate", String.class, String.class).invoke(foreign, "fixture.work", "delay(130ms)");
            assertThat(Chaos.controller().activations()).containsEntry("fixture.work", "delay(130ms)");
            assertThat(Work.timeDeclared()).isBetween(125L, 5_000L);
            assertThatThrownBy(() -> api.getMethod("activate", String.class, String.class)
                    .invoke(foreign, "fixture.work", "delay(1x)"))
                    .cause()
                    .hasMessageContaining("unknown unit 'x'")
                    .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(ChaosConfigException.class.getName()));
        }
    }

    @Test
    void classOfALoaderThatDelegatesOnlyJavaRunsUnwovenWithOneLogLine() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = capture(warnings);
        // held in a local: the log manager keeps loggers only weakly, and a collected one takes the handler with it
        Logger jchaosLog = Logger.getLogger("dev.jchaos");
        jchaosLog.addHandler(handler);
        try (URLClassLoader bundle = new JavaOnly(new URL[] {testClasses(), annotationsJar()})) {
            Class<?> isolated = bundle.loadClass(FIXTURES + "Isolated");
            Class<?> second = bundle.loadClass(FIXTURES + "Work");
            ChaosController c = Chaos.controller();
            c.setEnabled(true);
            c.activate("fixture.isolated", "delay(300ms)");
            assertThat((Long) isolated.getMethod("timed").invoke(null)).isLessThan(250L);
            assertThat(second.getMethod("declared", int.class).invoke(null, 1)).isEqualTo(2);
        } finally {
            jchaosLog.removeHandler(handler);
        }
        assertThat(warnings).filteredOn(w -> w.contains("does not delegate to the bootstrap loader")).singleElement()
                .asString().contains(JavaOnly.class.getName()).contains(FIXTURES + "Isolated");
    }

    @Test
    void copyThatDoesNotControlTheJvmStartsNothingCountsThroughTheControllerAndCanBeCollected() throws Exception {
        URL core = new File(System.getProperty("jchaos.test.agentJar").replace("-agent.jar", ".jar")).toURI().toURL();
        Set<Thread> before = jchaosThreads();
        URLClassLoader copy = new URLClassLoader(new URL[] {core, annotationsJar()}, ClassLoader.getPlatformClassLoader());
        Class<?> chaos = copy.loadClass("dev.jchaos.core.Chaos");
        Object controller = chaos.getMethod("controller").invoke(null);
        copy.loadClass("dev.jchaos.core.ChaosController").getMethod("points").invoke(controller);
        Object timeouts = chaos.getMethod("timeouts").invoke(null);
        Class<?> api = copy.loadClass("dev.jchaos.core.Timeouts");
        String source = "copy:" + System.nanoTime();
        api.getMethod("record", String.class, boolean.class).invoke(timeouts, source, true);
        api.getMethod("record", String.class, boolean.class).invoke(timeouts, source, false);
        assertThat(Chaos.timeouts().calls(source)).isEqualTo(2);
        assertThat(Chaos.timeouts().timeouts(source)).isEqualTo(1);
        assertThat(jchaosThreads()).isEqualTo(before);

        WeakReference<ClassLoader> gone = new WeakReference<>(copy);
        copy.close();
        copy = null;
        chaos = null;
        controller = null;
        timeouts = null;
        api = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (gone.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(gone.get()).as("nothing of jchaos holds the other copy's loader").isNull();
    }

    @Test
    void noInstrumentationAndNoInternalPackageReachApplicationCode() throws Exception {
        Class<?> hub = Class.forName("dev.jchaos.core.internal.boot.Hub", false, null);
        for (Field field : hub.getDeclaredFields()) {
            assertThat(Modifier.isPublic(field.getModifiers())).as(field.getName()).isFalse();
        }
        assertThat(hub.getMethod("take", String.class).invoke(null, "0".repeat(32))).isNull();
        assertThat(hub.getMethod("take", String.class).invoke(null, (Object) null)).isNull();
        Module javaBase = Object.class.getModule();
        assertThat(javaBase.isExported("jdk.internal.misc", ClassLoader.getSystemClassLoader().getUnnamedModule()))
                .isFalse();
        assertThat(javaBase.isExported("jdk.internal.misc", SelfAttachIT.class.getModule())).isFalse();
        assertThat(javaBase.isOpen("jdk.internal.misc", SelfAttachIT.class.getModule())).isFalse();
        assertThatThrownBy(() -> SelfAttachIT.class.getClassLoader().loadClass("dev.jchaos.core.internal.boot.Hub")
                .getDeclaredField("instrumentation")).isInstanceOf(NoSuchFieldException.class);
    }

    private static Set<Thread> jchaosThreads() {
        Set<Thread> result = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jchaos-") && !t.getName().equals("jchaos-events")
                    && !t.getName().equals("jchaos-ttl")) {
                result.add(t);
            }
        }
        return result;
    }

    private static Handler capture(List<String> warnings) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Delegates only {@code java.*} to its parent, as an OSGi bundle's loader or a JBoss module may. */
    private static final class JavaOnly extends URLClassLoader {

        JavaOnly(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                return c;
            }
        }
    }

    private static void assertIsolatedPointIsDelayed(ClassLoader loader) throws Exception {
        Class<?> isolated = loader.loadClass(FIXTURES + "Isolated");
        assertThat(isolated.getClassLoader()).isSameAs(loader);
        assertThat(loader.loadClass("dev.jchaos.annotations.InjectDelay").getClassLoader()).isSameAs(loader);
        ChaosController c = Chaos.controller();
        c.setEnabled(true);
        c.activate("fixture.isolated", "delay(130ms)");
        long took = (Long) isolated.getMethod("timed").invoke(null);
        assertThat(took).isBetween(125L, 5_000L);
    }

    private static URL testClasses() throws IOException {
        return new File(System.getProperty("jchaos.test.testClasses")).toURI().toURL();
    }

    private static URL annotationsJar() throws IOException {
        return new File(System.getProperty("jchaos.test.annotationsJar")).toURI().toURL();
    }

    /** Loads fixtures and annotations itself before asking its parent, as web application loaders do. */
    private static final class ChildFirst extends URLClassLoader {

        ChildFirst(URL[] urls) {
            super(urls, ClassLoader.getSystemClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(FIXTURES) && !name.startsWith("dev.jchaos.annotations.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                return c;
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            InputStream own = findResource(name) == null ? null : super.getResourceAsStream(name);
            return own != null ? own : super.getResourceAsStream(name);
        }
    }
}
