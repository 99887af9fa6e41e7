package dev.jchaos.junit.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Application code that shares {@code java.util} collections between threads, racy and clean: what
 * {@code @DetectRaces} must find, and what it must never report.
 */
public final class SharedCollections {

    private SharedCollections() {
    }

    /** Two threads count into one HashMap: lost updates. */
    public static Map<String, Integer> lostUpdate() throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        both("adder", () -> {
            for (int i = 0; i < 2_000; i++) {
                counts.merge("k" + (i % 50), 1, Integer::sum);
            }
        });
        return counts;
    }

    /** A reporter iterates the in-flight registry while requests write it; the exception is swallowed. */
    public static int iterateWhileWrite() throws InterruptedException {
        Map<Integer, String> inFlight = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            inFlight.put(i, "order-" + i);
        }
        int[] seen = new int[1];
        Thread requests = start("requests", () -> {
            for (int i = 200; i < 1_200; i++) {
                inFlight.put(i, "order-" + i);
                inFlight.remove(i - 200);
            }
        });
        Thread reporter = start("reporter", () -> {
            for (int round = 0; round < 30; round++) {
                try {
                    for (String order : inFlight.values()) {
                        seen[0] += order.length();
                    }
                } catch (ConcurrentModificationException swallowed) {
                    // what the post-mortem found: swallowed in a worker
                }
            }
        });
        requests.join();
        reporter.join();
        return seen[0];
    }

    /** Readers look a setting up while it is reloaded in place. */
    public static void readWhileReload() throws InterruptedException {
        Map<String, String> config = new HashMap<>();
        config.put("timeout", "1s");
        Thread reloader = start("reloader", () -> {
            for (int i = 0; i < 300; i++) {
                config.clear();
                config.put("timeout", i + "ms");
            }
        });
        Thread reader = start("reader", () -> {
            for (int i = 0; i < 3_000; i++) {
                config.get("timeout");
            }
        });
        reloader.join();
        reader.join();
    }

    /** A write and a read about 15 ms apart with nothing ordering them: a plain run never overlaps them. */
    public static void nearMiss() throws InterruptedException {
        List<String> events = new ArrayList<>();
        Thread consumer = start("consumer", () -> {
            pause(15);
            events.size();
        });
        Thread producer = start("producer", () -> events.add("started"));
        producer.join();
        consumer.join();
    }

    /** The same counting under a lock. */
    public static Map<String, Integer> locked() throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        Object lock = new Object();
        both("adder", () -> {
            for (int i = 0; i < 2_000; i++) {
                synchronized (lock) {
                    counts.merge("k" + (i % 50), 1, Integer::sum);
                }
            }
        });
        return counts;
    }

    /** The same counting into a ConcurrentHashMap. */
    public static Map<String, Integer> concurrentMap() throws InterruptedException {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        both("adder", () -> {
            for (int i = 0; i < 2_000; i++) {
                counts.merge("k" + (i % 50), 1, Integer::sum);
            }
        });
        return counts;
    }

    /** The same counting into a synchronized wrapper. */
    public static Map<String, Integer> synchronizedMap() throws InterruptedException {
        Map<String, Integer> counts = Collections.synchronizedMap(new HashMap<>());
        both("adder", () -> {
            for (int i = 0; i < 2_000; i++) {
                counts.merge("k" + (i % 50), 1, Integer::sum);
            }
        });
        return counts;
    }

    /** A worker fills a list; the caller reads it after {@code join}, which orders the two. */
    public static List<Integer> handOffAfterJoin() throws InterruptedException {
        List<Integer> results = new ArrayList<>();
        Thread worker = start("worker", () -> {
            for (int i = 0; i < 100; i++) {
                results.add(i);
            }
        });
        worker.join();
        results.add(results.size());
        return results;
    }

    /** Each thread counts into a map of its own. */
    public static void confined() throws InterruptedException {
        both("adder", () -> {
            Map<String, Integer> own = new HashMap<>();
            for (int i = 0; i < 2_000; i++) {
                own.merge("k" + (i % 50), 1, Integer::sum);
            }
        });
    }

    /** One thread only. */
    public static Map<String, Integer> singleThread() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4_000; i++) {
            counts.merge("k" + (i % 50), 1, Integer::sum);
        }
        return counts;
    }

    private static void both(String name, Runnable work) throws InterruptedException {
        Thread first = start(name + "-1", work);
        Thread second = start(name + "-2", work);
        first.join();
        second.join();
    }

    private static Thread start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.start();
        return thread;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
