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

        /** Only for the benchmark's check that this class really is watched. */
        static void put(Map<String, Integer> map, String key, int value) {
            map.put(key, value);
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
