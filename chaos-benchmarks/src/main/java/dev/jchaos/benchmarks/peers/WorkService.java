package dev.jchaos.benchmarks.peers;

import org.springframework.stereotype.Service;

/**
 * The trivial method as a Spring {@code @Service}, the kind of bean Chaos Monkey for Spring Boot watches. Not final,
 * so CGLIB can subclass it as Spring Boot's class-based proxies do.
 */
@Service
public class WorkService implements Work {

    @Override
    public int work(int x) {
        return x * 31 + 7;
    }
}
