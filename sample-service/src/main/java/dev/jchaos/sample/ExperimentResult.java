package dev.jchaos.sample;

import java.util.List;

/**
 * What an experiment measured: one sample per second, a summary per phase and the verdict. Written to
 * {@code report.json} as is and drawn in {@code report.html}.
 *
 * @param settings  the run's settings
 * @param samples   one per second, in order
 * @param phases    one per phase, in order
 * @param verdict   recovered or leaked
 * @param halt      when and why a halt condition stopped chaos, or null
 * @param recording the JFR recording of the chaos phase ({@code chaos.jfr} beside the report), or null
 * @param races     thread-safety violations {@code jchaos.races} found (with {@code --races}), or empty
 */
record ExperimentResult(Settings settings, List<Sample> samples, List<PhaseSummary> phases, Verdict verdict,
                        Halt halt, String recording, List<Race> races) {

    /**
     * A thread-safety violation found while the experiment ran.
     *
     * @param collection the collection, such as {@code java.util.HashMap}
     * @param summary    {@code put while next}
     * @param line       one line: operations, sites and how often
     * @param report     both threads with their stacks, as jchaos reports it
     */
    record Race(String collection, String summary, String line, String report) {
    }

    /**
     * A halt condition stopped chaos.
     *
     * @param second the experiment second in which the {@code dev.jchaos.halt} notification arrived
     * @param reason the breach, such as {@code threads.growth 231 > 200}
     */
    record Halt(int second, String reason) {
    }

    /**
     * @param point          the point pattern activated over JMX
     * @param action         the actions activated
     * @param rps            requests per second offered
     * @param leaky          whether the leak exhibit served the orders
     * @param warmupSeconds  load before the baseline, not counted
     * @param baselineSeconds load without chaos
     * @param chaosSeconds   load with the point active
     * @param recoverySeconds load after the kill switch
     * @param jmxAddress     the JMX connector the operator used
     * @param haltWhen       the halt conditions set over JMX with the activation, or null
     * @param races          the classes {@code jchaos.races} watched (with {@code --races}), or null
     */
    record Settings(String point, String action, int rps, boolean leaky, int warmupSeconds, int baselineSeconds,
                    int chaosSeconds, int recoverySeconds, String jmxAddress, String haltWhen, String races) {
    }

    /**
     * One second of the run.
     *
     * @param second    seconds since load started, at the end of this sample
     * @param phase     warmup, baseline, chaos or recovery
     * @param requests  requests that finished in this second
     * @param errors    of which failed (any non-2xx answer or client failure)
     * @param calls     downstream calls the service finished in this second
     * @param timeouts  of which timed out (time limiter or legacy timeout)
     * @param dropped   requests not sent because the generator's in-flight cap was reached
     * @param p50Ms     median latency in milliseconds
     * @param p99Ms     99th percentile latency in milliseconds
     * @param threads   the service's live threads
     * @param inFlight  threads inside an injected delay at any point
     */
    record Sample(int second, String phase, int requests, int errors, int calls, int timeouts, int dropped,
                  double p50Ms, double p99Ms, int threads, int inFlight) {

        /** Timed-out downstream calls over finished downstream calls, 0..1. */
        double timeoutRate() {
            return calls == 0 ? 0 : (double) timeouts / calls;
        }
    }

    /**
     * A phase's totals.
     *
     * @param phase       its name
     * @param seconds     its length
     * @param requests    finished requests
     * @param errors      failed requests
     * @param calls       downstream calls finished
     * @param timeouts    of which timed out
     * @param p50Ms       median latency over the phase
     * @param p99Ms       99th percentile latency over the phase
     * @param threadsMin  fewest service threads seen
     * @param threadsMax  most service threads seen
     * @param errorKinds  failed requests by kind, such as {@code 503 inventory circuit_open}
     */
    record PhaseSummary(String phase, int seconds, long requests, long errors, long calls, long timeouts, double p50Ms,
                        double p99Ms, int threadsMin, int threadsMax, java.util.Map<String, Long> errorKinds) {

        /** Timed-out downstream calls over finished downstream calls, 0..1. */
        double timeoutRate() {
            return calls == 0 ? 0 : (double) timeouts / calls;
        }
    }

    /**
     * The verdict.
     *
     * @param recovered             whether the service's threads came back to the baseline within the margin
     * @param headline              one line saying so
     * @param baselineMax           most service threads in the second half of the baseline (the steady state)
     * @param margin                threads allowed above {@code baselineMax}
     * @param finalThreads          service threads at the end
     * @param recoveredAfterSeconds seconds after the kill switch when threads were first back within the margin, or -1
     * @param stayed                threads born since the baseline and still alive at the end, grouped
     */
    record Verdict(boolean recovered, String headline, int baselineMax, int margin, int finalThreads,
                   int recoveredAfterSeconds, List<ThreadCensus.ThreadGroupReport> stayed) {
    }
}
