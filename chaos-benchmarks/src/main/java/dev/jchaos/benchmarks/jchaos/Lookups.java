package dev.jchaos.benchmarks.jchaos;

import java.util.Map;

/** The same HashMap lookup twice: {@link Watched} is a class whose races the benchmark watches, {@link Plain} is not. */
final class Lookups {

    private Lookups() {
    }

    /** Its collection call sites are watched by {@link RaceWatchBenchmark}. */
    static final class Watched {
        private Watched() {
        }

        static Integer get(Map<String, Integer> map, String key) {
            return map.get(key);
        }
    }

    /** Never watched. */
    static final class Plain {
        private Plain() {
        }

        static Integer get(Map<String, Integer> map, String key) {
            return map.get(key);
        }
    }
}
