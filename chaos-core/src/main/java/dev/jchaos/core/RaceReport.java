package dev.jchaos.core;

import java.util.List;

/**
 * What a {@link Races.Session} found.
 *
 * @param violations overlaps that really happened, one per pair of call sites
 * @param suspects   call sites of near misses that no hold has exposed or ruled out yet: where to hold next time
 */
public record RaceReport(List<RaceViolation> violations, List<String> suspects) {

    public RaceReport {
        violations = List.copyOf(violations);
        suspects = List.copyOf(suspects);
    }
}
