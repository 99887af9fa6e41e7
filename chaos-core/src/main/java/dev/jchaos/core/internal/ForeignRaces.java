package dev.jchaos.core.internal;

import dev.jchaos.core.RaceReport;
import dev.jchaos.core.RaceViolation;
import dev.jchaos.core.Races;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code Chaos.races()} in a copy of jchaos that does not control the JVM: the controlling copy's. */
final class ForeignRaces implements Races {

    private final Function<Object[], Supplier<Object[]>> watch;
    private final Supplier<List<Object[]>> violations;

    @SuppressWarnings("unchecked")
    ForeignRaces(Map<String, Object> ops) {
        this.watch = (Function<Object[], Supplier<Object[]>>) ops.get("racesWatch");
        this.violations = (Supplier<List<Object[]>>) ops.get("racesViolations");
    }

    @Override
    public Session watch(List<String> classGlobs, Duration hold, Collection<String> holdAt, long seed) {
        Supplier<Object[]> stop;
        try {
            stop = watch.apply(new Object[] {List.copyOf(classGlobs), hold, List.copyOf(holdAt), seed});
        } catch (IllegalArgumentException e) {
            throw ForeignController.translated(e);
        }
        return new Session() {
            private RaceReport report;

            @Override
            public synchronized RaceReport stop() {
                if (report == null) {
                    Object[] found = stop.get();
                    @SuppressWarnings("unchecked")
                    List<Object[]> rows = (List<Object[]>) found[0];
                    @SuppressWarnings("unchecked")
                    List<String> suspects = (List<String>) found[1];
                    report = new RaceReport(races(rows), suspects);
                }
                return report;
            }
        };
    }

    @Override
    public List<RaceViolation> violations() {
        return races(violations.get());
    }

    private static List<RaceViolation> races(List<Object[]> rows) {
        List<RaceViolation> result = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            result.add(Channel.raceOf(row));
        }
        return result;
    }
}
