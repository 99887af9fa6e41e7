package dev.jchaos.benchmarks.peers;

import de.codecentric.spring.boot.chaos.monkey.component.ChaosMonkeyRequestScope;
import de.codecentric.spring.boot.chaos.monkey.component.ChaosTarget;
import de.codecentric.spring.boot.chaos.monkey.component.MetricEventPublisher;
import de.codecentric.spring.boot.chaos.monkey.configuration.AssaultProperties;
import de.codecentric.spring.boot.chaos.monkey.configuration.ChaosMonkeyProperties;
import de.codecentric.spring.boot.chaos.monkey.configuration.ChaosMonkeySettings;
import de.codecentric.spring.boot.chaos.monkey.configuration.WatcherProperties;
import de.codecentric.spring.boot.chaos.monkey.configuration.toggles.DefaultChaosToggleNameMapper;
import de.codecentric.spring.boot.chaos.monkey.configuration.toggles.DefaultChaosToggles;
import de.codecentric.spring.boot.chaos.monkey.watcher.advice.ChaosMonkeyDefaultAdvice;
import de.codecentric.spring.boot.chaos.monkey.watcher.advice.advisor.ChaosMonkeyAnnotationPointcutAdvisor;
import de.codecentric.spring.boot.chaos.monkey.watcher.advice.filter.ChaosMonkeyBaseClassFilter;
import de.codecentric.spring.boot.chaos.monkey.watcher.advice.filter.SpringHookMethodsFilter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.stereotype.Service;

/**
 * Peers (e) and (f): the trivial method called through Spring AOP proxies, as Chaos Monkey for Spring Boot intercepts
 * beans. (e) is a pass-through {@code MethodInterceptor} on a JDK interface proxy and on a CGLIB class proxy (Spring
 * Boot's default). (f) is Chaos Monkey's own service watcher, assembled without Spring Boot exactly as its
 * {@code ChaosMonkeyAdvisorConfiguration} does, watching {@code @Service} beans with Chaos Monkey disabled: the state
 * of an application that ships Chaos Monkey and is not attacking.
 *
 * <p>Run from {@code chaos-benchmarks/} after {@code mvn -B -f pom.xml package}:
 * <pre>{@code java -jar target/benchmarks.jar SpringAopBenchmark -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class SpringAopBenchmark {

    private final WorkService plain = new WorkService();
    private int x = 42;

    /** A JDK dynamic proxy and a CGLIB proxy, each with one pass-through interceptor. */
    @State(Scope.Benchmark)
    public static class Proxies {
        Work jdk;
        WorkService cglib;

        @Setup(Level.Trial)
        public void setUp() {
            MethodInterceptor passThrough = invocation -> invocation.proceed();
            ProxyFactory jdkFactory = new ProxyFactory(new WorkService());
            jdkFactory.setInterfaces(Work.class);
            jdkFactory.addAdvice(passThrough);
            jdk = (Work) jdkFactory.getProxy();
            ProxyFactory cglibFactory = new ProxyFactory(new WorkService());
            cglibFactory.setProxyTargetClass(true);
            cglibFactory.addAdvice(passThrough);
            cglib = (WorkService) cglibFactory.getProxy();
            if (!AopUtils.isJdkDynamicProxy(jdk) || !AopUtils.isCglibProxy(cglib)) {
                throw new IllegalStateException("Spring made other proxies than asked: " + jdk.getClass() + ", "
                        + cglib.getClass());
            }
        }
    }

    /** Chaos Monkey's {@code @Service} watcher on a CGLIB proxy, with Chaos Monkey disabled. */
    @State(Scope.Benchmark)
    public static class ChaosMonkeyWatcher {
        WorkService proxy;
        private GenericApplicationContext context;

        @Setup(Level.Trial)
        public void setUp() throws NoSuchMethodException {
            ChaosMonkeyProperties monkey = new ChaosMonkeyProperties();
            monkey.setEnabled(false);
            WatcherProperties watchers = new WatcherProperties();
            watchers.setService(true);
            ChaosMonkeySettings settings = new ChaosMonkeySettings(monkey, new AssaultProperties(), watchers);
            // in an application the context publishes Chaos Monkey's metric events; an empty one does the same
            context = new GenericApplicationContext();
            context.refresh();
            MetricEventPublisher publisher = new MetricEventPublisher();
            publisher.setApplicationEventPublisher(context);
            ChaosMonkeyRequestScope scope = new ChaosMonkeyRequestScope(settings, List.of(), List.of(), publisher,
                    new DefaultChaosToggles(), new DefaultChaosToggleNameMapper(monkey.getTogglePrefix()));
            ChaosMonkeyAnnotationPointcutAdvisor advisor = new ChaosMonkeyAnnotationPointcutAdvisor(
                    new ChaosMonkeyBaseClassFilter(watchers),
                    new ChaosMonkeyDefaultAdvice(scope, publisher, ChaosTarget.SERVICE, watchers::isService),
                    Service.class, SpringHookMethodsFilter.INSTANCE);
            ProxyFactory factory = new ProxyFactory(new WorkService());
            factory.setProxyTargetClass(true);
            factory.addAdvisor(advisor);
            proxy = (WorkService) factory.getProxy();
            boolean watched = advisor.getPointcut().getClassFilter().matches(WorkService.class)
                    && advisor.getPointcut().getMethodMatcher()
                            .matches(WorkService.class.getMethod("work", int.class), WorkService.class);
            if (!watched || ((Advised) proxy).getAdvisors().length != 1) {
                throw new IllegalStateException("Chaos Monkey's service watcher does not apply to "
                        + WorkService.class.getName());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            context.close();
        }
    }

    /** The method called directly. */
    @Benchmark
    public int plain() {
        return plain.work(x);
    }

    /** (e) Through a JDK dynamic proxy with a pass-through interceptor. */
    @Benchmark
    public int springJdkProxy(Proxies proxies) {
        return proxies.jdk.work(x);
    }

    /** (e) Through a CGLIB proxy with a pass-through interceptor. */
    @Benchmark
    public int springCglibProxy(Proxies proxies) {
        return proxies.cglib.work(x);
    }

    /** (f) Through Chaos Monkey for Spring Boot's service watcher, Chaos Monkey disabled. */
    @Benchmark
    public int chaosMonkeyWatcher(ChaosMonkeyWatcher watcher) {
        return watcher.proxy.work(x);
    }
}
