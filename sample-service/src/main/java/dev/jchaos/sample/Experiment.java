package dev.jchaos.sample;

import dev.jchaos.core.Chaos;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.PointSnapshot;
import dev.jchaos.sample.ExperimentResult.PhaseSummary;
import dev.jchaos.sample.ExperimentResult.Sample;
import dev.jchaos.sample.ExperimentResult.Settings;
import dev.jchaos.sample.ExperimentResult.Verdict;
import java.io.PrintStream;
import java.lang.management.ThreadInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A complete chaos experiment on the sample service: start it on embedded defaults, drive load, turn a delay on
 * over a loopback JMX connector as an operator would, hold it, pull the kill switch and watch whether the
 * service's threads come back. Prints one progress line per second, a table per phase and a verdict, and writes
 * {@code report.html} and {@code report.json}.
 */
final class Experiment {

    /**
     * What to run.
     *
     * @param warmup   load before the baseline, not counted
     * @param baseline load without chaos
     * @param chaos    how long the point stays active
     * @param recovery load after the kill switch
     * @param rps      requests per second
     * @param point    point pattern to activate
     * @param action   actions in the action language
     * @param leaky    price orders through the leak exhibit
     * @param out      directory for the reports
     * @param haltWhen halt conditions set over JMX with the activation ({@code threads.growth>200}), or null
     * @param races    whether {@code jchaos.races} watches the race exhibit while chaos is enabled
     */
    record Options(Duration warmup, Duration baseline, Duration chaos, Duration recovery, int rps, String point,
                   String action, boolean leaky, Path out, String haltWhen, boolean races) {

        /** The defaults: under a minute in all, {@code *nventory*} (or {@code *Pricing*} with the exhibit) delayed 800 ms. */
        static Options defaults(boolean leaky) {
            return new Options(Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(15),
                    Duration.ofSeconds(12), 50, leaky ? "*Pricing*" : "*nventory*", "delay(800ms)", leaky,
                    Path.of("target", "jchaos-experiment"), null, false);
        }

        Options {
            requireSeconds("--warmup", warmup, 0);
            requireSeconds("--baseline", baseline, 2);
            requireSeconds("--duration", chaos, 1);
            requireSeconds("--recovery", recovery, 3);
            if (point == null || point.isBlank()) {
                throw new IllegalArgumentException("--point must name a point id or glob but was '" + point + "'");
            }
            if (action == null || action.isBlank()) {
                throw new IllegalArgumentException("--action must be actions like delay(800ms) but was '" + action + "'");
            }
        }

        private static void requireSeconds(String option, Duration value, int min) {
            if (value.toSeconds() < min || value.toSeconds() > 3600 || value.toMillis() % 1000 != 0) {
                // in the unit it was most likely given in: 2s, not 2000ms
                throw new IllegalArgumentException(option + " must be whole seconds from " + min + "s to 3600s but was "
                        + (value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : value.toMillis() + "ms"));
            }
        }
    }

    private static final int STACK_FRAMES = 12;
    /** The classes {@code --races} watches: the race exhibit. */
    static final String RACE_EXHIBIT = InFlightOrders.class.getName();

    private final Options options;
    private final PrintStream out;
    private final ThreadCensus census = new ThreadCensus();

    Experiment(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the experiment to its verdict and writes the reports. */
    ExperimentResult run() throws InterruptedException {
        ChaosBridge.ensureController(out);
        validateActions();
        validateHaltWhen();
        validateOut(options.out());
        ChaosRecording.prepare();
        if (options.races()) {
            watchRaces(RACE_EXHIBIT);
        }
        try {
            return runWatched();
        } finally {
            if (options.races()) {
                watchRaces(null);
            }
        }
    }

    /**
     * Sets {@code jchaos.races} as an operator would at start-up and has the controller read it: the service's
     * race watch then holds threads at suspect call sites while chaos is enabled, and stops at the kill switch.
     */
    private static void watchRaces(String classes) {
        if (classes == null) {
            System.clearProperty("jchaos.races");
        } else {
            System.setProperty("jchaos.races", classes);
        }
        Chaos.controller().reloadFromSystemProperties();
    }

    private ExperimentResult runWatched() throws InterruptedException {
        int warmup = (int) options.warmup().toSeconds();
        int baseline = (int) options.baseline().toSeconds();
        int chaos = (int) options.chaos().toSeconds();
        int recovery = (int) options.recovery().toSeconds();
        int total = warmup + baseline + chaos + recovery;

        out.printf(Locale.ROOT, "jchaos experiment: %d rps, %s=%s for %ds after %ds of baseline, then %ds of recovery%s%s%s%n",
                options.rps(), options.point(), options.action(), chaos, baseline, recovery,
                options.haltWhen() == null ? "" : ", halt when " + options.haltWhen(),
                options.leaky() ? " [LEAK EXHIBIT: legacy pricing path]" : "",
                options.races() ? ", races watched in " + RACE_EXHIBIT + " [RACE EXHIBIT]" : "");
        try (SampleApp app = SampleApp.start(ServiceConfig.defaults().withLeaky(options.leaky()));
             JmxOperator operator = JmxOperator.connectLoopback()) {
            out.println("service on " + app.uri() + "; operator connected to a JMX RMI connector on 127.0.0.1 "
                    + "(address in report.json)");
            Set<Long> before = census.allIds();
            try (LoadGenerator load = new LoadGenerator(app.uri(), options.rps(), Duration.ofSeconds(2), 64 + 2 * options.rps())) {
                census.markTooling(before);
                out.println("warming up with 20 sequential orders...");
                load.warmUp(20);
                Clock clock = new Clock(load, operator, app.calls(), warmup, baseline, chaos, total);
                operator.onHalt(clock::halted);
                load.start();
                ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                        new NamedThreads("jchaos-experiment-clock", true));
                try {
                    ticker.scheduleAtFixedRate(clock::tick, 1, 1, TimeUnit.SECONDS);
                    if (!clock.done.await(total + 60L, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the experiment did not finish within " + (total + 60) + "s");
                    }
                } finally {
                    ticker.shutdownNow();
                    ticker.awaitTermination(5, TimeUnit.SECONDS);
                    safely(operator::deactivateAll);
                    safely(() -> operator.setEnabled(false));
                    safely(() -> operator.setHaltWhen(""));
                    clock.recording.close();
                }
                if (clock.failure.get() != null) {
                    throw new IllegalStateException("the experiment stopped: " + clock.failure.get().getMessage(),
                            clock.failure.get());
                }
                ExperimentResult result = new ExperimentResult(
                        new Settings(options.point(), options.action(), options.rps(), options.leaky(), warmup,
                                baseline, chaos, recovery, operator.address(), options.haltWhen(),
                                options.races() ? RACE_EXHIBIT : null),
                        clock.samples, summarize(clock), clock.verdict, clock.halt.get(),
                        clock.recording.saved() == null ? null : clock.recording.saved().toString(),
                        options.races() ? races() : List.of());
                printSummary(result);
                Path html = ExperimentReport.write(result, options.out());
                out.println("report: " + html.toAbsolutePath() + " (and report.json"
                        + (result.recording() != null ? ", and chaos.jfr, the JFR recording of the chaos phase," : "")
                        + " beside it)");
                return result;
            }
        }
    }

    /**
     * Rejects a malformed {@code --action} before anything starts, by activating it on a pattern that matches no
     * point and removing it again.
     */
    private void validateActions() {
        String nothing = "dev.jchaos.sample.validation.matches.nothing*";
        try {
            Chaos.controller().activate(nothing, options.action());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--action: " + e.getMessage(), e);
        }
        Chaos.controller().deactivate(nothing);
    }

    /**
     * Makes sure the report can be written before anything starts: a directory that cannot be created or written
     * would otherwise be found only after the whole experiment ran, with nothing to show for it.
     */
    static void validateOut(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".jchaos-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--out: cannot write the report to " + dir + " (" + e + ")");
        }
    }

    /** Rejects malformed {@code --halt-when} before anything starts, naming the column. */
    private void validateHaltWhen() {
        if (options.haltWhen() == null) {
            return;
        }
        String before = Chaos.controller().haltWhen();
        try {
            Chaos.controller().setHaltWhen(options.haltWhen());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--halt-when: " + e.getMessage(), e);
        }
        Chaos.controller().setHaltWhen(before);
    }

    /** What the race watch found, as the service's controller has it. */
    private static List<ExperimentResult.Race> races() {
        List<ExperimentResult.Race> found = new ArrayList<>();
        for (RaceViolation v : Chaos.races().violations()) {
            found.add(new ExperimentResult.Race(v.collection(), v.summary(), v.line(), v.describe()));
        }
        return found;
    }

    private static void safely(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // the run is ending; the primary outcome is reported by the caller
        }
    }

    private List<PhaseSummary> summarize(Clock clock) {
        List<PhaseSummary> phases = new ArrayList<>();
        for (String phase : List.of("warmup", "baseline", "chaos", "recovery")) {
            List<long[]> latencies = new ArrayList<>();
            long requests = 0;
            long errors = 0;
            long timeouts = 0;
            long calls = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            int seconds = 0;
            java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
            for (int i = 0; i < clock.samples.size(); i++) {
                Sample s = clock.samples.get(i);
                if (!s.phase().equals(phase)) {
                    continue;
                }
                seconds++;
                requests += s.requests();
                errors += s.errors();
                timeouts += s.timeouts();
                calls += s.calls();
                min = Math.min(min, s.threads());
                max = Math.max(max, s.threads());
                latencies.add(clock.latencies.get(i));
                clock.errorKinds.get(i).forEach((kind, count) -> kinds.merge(kind, (long) count, Long::sum));
            }
            if (seconds == 0) {
                continue;
            }
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            phases.add(new PhaseSummary(phase, seconds, requests, errors, calls, timeouts,
                    LoadGenerator.quantile(all, 0.50) / 1000.0, LoadGenerator.quantile(all, 0.99) / 1000.0, min, max, kinds));
        }
        return phases;
    }

    private void printSummary(ExperimentResult result) {
        out.println();
        out.printf(Locale.ROOT, "%-9s %5s %9s %7s %12s %9s %9s %13s%n", "phase", "secs", "requests", "errors",
                "timeout rate", "p50", "p99", "threads min/max");
        for (PhaseSummary p : result.phases()) {
            out.printf(Locale.ROOT, "%-9s %4ds %9d %7d %11.1f%% %7.0fms %7.0fms %8d/%d%n", p.phase(), p.seconds(),
                    p.requests(), p.errors(), 100 * p.timeoutRate(), p.p50Ms(), p.p99Ms(), p.threadsMin(),
                    p.threadsMax());
        }
        for (PhaseSummary p : result.phases()) {
            if (!p.errorKinds().isEmpty()) {
                out.printf(Locale.ROOT, "  %-9s errors: %s%n", p.phase(), p.errorKinds());
            }
        }
        out.println();
        Verdict verdict = result.verdict();
        if (result.halt() != null) {
            out.println("HALTED by jchaos at " + result.halt().second() + "s: " + result.halt().reason()
                    + " (halt conditions " + options.haltWhen() + "; kill switch pulled, Enabled=false)");
        }
        out.println("VERDICT: " + verdict.headline());
        if (options.races()) {
            out.println(result.races().isEmpty()
                    ? "RACES: no thread-safety violation found in " + RACE_EXHIBIT
                    : "RACES: " + result.races().size() + " thread-safety violation"
                            + (result.races().size() == 1 ? "" : "s") + " found by jchaos.races in " + RACE_EXHIBIT
                            + " (a bug kept on purpose)");
            for (ExperimentResult.Race race : result.races()) {
                out.print(race.report());
            }
        }
        if (!verdict.recovered()) {
            int shown = 0;
            for (ThreadCensus.ThreadGroupReport group : verdict.stayed()) {
                if (shown++ == 5) {
                    out.println("  ... and " + (verdict.stayed().size() - 5) + " more groups");
                    break;
                }
                List<String> names = group.names();
                out.printf(Locale.ROOT, "  %d @ %s  [%s%s]%n", names.size(), group.state(),
                        String.join(", ", names.subList(0, Math.min(4, names.size()))), names.size() > 4 ? ", ..." : "");
                for (String frame : group.stack()) {
                    out.println("      at " + frame);
                }
            }
        }
    }

    /** Drives the phases, one tick per second, and records what it sees. */
    private final class Clock {

        final List<Sample> samples = new ArrayList<>();
        final List<long[]> latencies = new ArrayList<>();
        final List<java.util.Map<String, Integer>> errorKinds = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicReference<ExperimentResult.Halt> halt = new AtomicReference<>();
        final ChaosRecording recording;
        private final LoadGenerator load;
        private final JmxOperator operator;
        private final int warmup;
        private final int baselineEnd;
        private final int chaosEnd;
        private final int total;
        private Set<Long> baselineIds = Set.of();
        private int second;
        private long lastCalls;
        private long lastTimeouts;
        volatile Verdict verdict;

        private final CallTally tally;

        Clock(LoadGenerator load, JmxOperator operator, CallTally tally, int warmup, int baseline, int chaos,
              int total) {
            this.load = load;
            this.tally = tally;
            this.lastCalls = tally.calls();
            this.lastTimeouts = tally.timeouts();
            this.operator = operator;
            this.warmup = warmup;
            this.baselineEnd = warmup + baseline;
            this.chaosEnd = baselineEnd + chaos;
            this.total = total;
            this.recording = new ChaosRecording(options.out().resolve("chaos.jfr"));
        }

        /** The controller's {@code dev.jchaos.halt} notification, on the JMX client's thread. */
        void halted(String reason) {
            if (halt.compareAndSet(null, new ExperimentResult.Halt(second, reason))) {
                out.println(">>> HALTED by jchaos: " + reason + " (kill switch pulled, Enabled=false)");
            }
        }

        void tick() {
            if (done.getCount() == 0) {
                return;
            }
            try {
                second++;
                String phase = second <= warmup ? "warmup" : second <= baselineEnd ? "baseline"
                        : second <= chaosEnd ? "chaos" : "recovery";
                LoadGenerator.Window window = load.drain();
                long[] sorted = window.sortedLatencies();
                long calls = tally.calls();
                long timeouts = tally.timeouts();
                int callsNow = (int) (calls - lastCalls);
                int timeoutsNow = (int) (timeouts - lastTimeouts);
                lastCalls = calls;
                lastTimeouts = timeouts;
                Sample sample = new Sample(second, phase, window.finished(), window.timeouts + window.errors,
                        callsNow, timeoutsNow, window.dropped, LoadGenerator.quantile(sorted, 0.50) / 1000.0,
                        LoadGenerator.quantile(sorted, 0.99) / 1000.0, census.serviceThreadCount(), inFlight());
                samples.add(sample);
                latencies.add(sorted);
                errorKinds.add(window.errorKinds);
                out.printf(Locale.ROOT, "[%3ds] %-9s req/s %4d  p99 %6.0fms  timeouts %5.1f%%  threads %4d  in-flight@points %3d%s%n",
                        second, phase, sample.requests(), sample.p99Ms(), 100 * sample.timeoutRate(), sample.threads(),
                        sample.inFlight(), sample.dropped() > 0 ? "  (load capped: " + sample.dropped() + " not sent)" : "");
                if (second == baselineEnd) {
                    baselineIds = census.allIds();
                    recording.start();
                    if (options.haltWhen() != null) {
                        operator.setHaltWhen(options.haltWhen());
                        out.println(">>> JMX: HaltWhen=" + options.haltWhen());
                    }
                    operator.setEnabled(true);
                    operator.activate(options.point(), options.action());
                    out.println(">>> JMX: Enabled=true; activate(\"" + options.point() + "\", \"" + options.action()
                            + "\") -> active " + Arrays.toString(operator.activePoints()));
                } else if (second == chaosEnd) {
                    recording.stopAndSave();
                    operator.deactivateAll();
                    out.println(">>> JMX: deactivateAll() -> active " + Arrays.toString(operator.activePoints()));
                } else if (second >= total) {
                    verdict = judge();
                    done.countDown();
                }
            } catch (RuntimeException | Error e) {
                failure.set(e);
                done.countDown();
            }
        }

        /** Threads inside injected delays now: over JMX when the MBean's Points carry it, else the Java API. */
        private int inFlight() {
            java.util.Map<String, Integer> byPoint = operator.inFlightByPoint();
            if (byPoint != null) {
                return byPoint.values().stream().mapToInt(Integer::intValue).sum();
            }
            return Chaos.controller().points().stream().mapToInt(PointSnapshot::inFlight).sum();
        }

        private Verdict judge() {
            // the steady state: the most threads in the second half of the baseline, after warm-up bursts have idled out
            List<Sample> baselineSamples = samples.stream().filter(s -> s.phase().equals("baseline")).toList();
            int baselineMax = baselineSamples.subList(baselineSamples.size() / 2, baselineSamples.size()).stream()
                    .mapToInt(Sample::threads).max().orElse(0);
            int margin = Math.max(5, (int) Math.ceil(baselineMax * 0.10));
            int threshold = baselineMax + margin;
            // the least of the last three samples: a leak never shrinks, a passing burst does
            int finalThreads = samples.subList(Math.max(0, samples.size() - 3), samples.size()).stream()
                    .mapToInt(Sample::threads).min().orElse(0);
            int recoveredAfter = -1;
            for (Sample s : samples) {
                if (s.phase().equals("recovery") && s.threads() <= threshold) {
                    recoveredAfter = s.second() - chaosEnd;
                    break;
                }
            }
            boolean recovered = finalThreads <= threshold;
            List<ThreadInfo> stayed = new ArrayList<>();
            for (ThreadInfo info : census.serviceThreads(STACK_FRAMES)) {
                if (!baselineIds.contains(info.getThreadId())) {
                    stayed.add(info);
                }
            }
            String headline;
            if (recovered) {
                headline = String.format(Locale.ROOT, "RECOVERED - service threads back within the steady baseline "
                        + "of %d + margin %d %ds after the kill switch; %d at the end", baselineMax, margin,
                        Math.max(recoveredAfter, 0), finalThreads);
            } else {
                headline = String.format(Locale.ROOT, "LEAKED - %d service threads at the end against a steady "
                        + "baseline of %d (+ margin %d); %d threads born since the baseline are still alive",
                        finalThreads, baselineMax, margin, stayed.size());
            }
            return new Verdict(recovered, headline, baselineMax, margin, finalThreads, recoveredAfter,
                    ThreadCensus.group(stayed, STACK_FRAMES));
        }
    }
}
