package dev.jchaos.benchmarks.jchaos;

import dev.jchaos.annotations.InjectDelay;

/**
 * The trivial method every jchaos benchmark calls, once plain and once behind each kind of delay point. The bodies
 * are identical so that any difference in time is the point's cost.
 */
public class DelayTarget {

    /** Id of the point that is declared and never activated. */
    public static final String DORMANT = "bench.dormant";
    /** Id of the point armed with {@code 0%delay(1ms)}: evaluated on every call, never fires. */
    public static final String ARMED = "bench.armed0";
    /** Id of a second point armed with {@code 0%delay(1ms)}, for two threads on two points. */
    public static final String ARMED_TOO = "bench.armed0b";
    /** Id of a point that is active while another point is measured; it is never called. */
    public static final String OTHER = "bench.other";
    /** Id of the point whose activation latency is measured. */
    public static final String LATENCY = "bench.latency";

    /** Not woven: the reference every other method is compared with. */
    public int plain(int x) {
        return x * 31 + 7;
    }

    @InjectDelay(DORMANT)
    public int dormant(int x) {
        return x * 31 + 7;
    }

    @InjectDelay(ARMED)
    public int armed(int x) {
        return x * 31 + 7;
    }

    @InjectDelay(ARMED_TOO)
    public int armedToo(int x) {
        return x * 31 + 7;
    }

    @InjectDelay(OTHER)
    public int other(int x) {
        return x * 31 + 7;
    }

    @InjectDelay(LATENCY)
    public int latency(int x) {
        return x * 31 + 7;
    }
}
