package dev.jchaos.benchmarks.startup;

import dev.jchaos.annotations.InjectDelay;
import java.util.List;

/**
 * The workload's one delay point: the jchaos agent weaves {@link #total} and the Byteman start-up rule targets it,
 * so both agents have the same single method to instrument among thousands of classes.
 */
public class Pricing {

    /** The id of the workload's one point. */
    public static final String POINT = "workload.pricing";

    /** Sums a price per item. */
    @InjectDelay(POINT)
    public double total(List<String> items) {
        double total = 0;
        for (String item : items) {
            total += 9.5 + item.length();
        }
        return total;
    }
}
