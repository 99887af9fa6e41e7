package dev.jchaos.junit;

import dev.jchaos.core.RaceViolation;
import java.util.List;

/**
 * Threads of a test were inside calls on one instance of a collection that is not thread-safe at the same time. The
 * message is the full report: each violation with the collection, what both threads did and both stacks, the run
 * that exposed it and how to replay it.
 */
public final class ThreadSafetyViolationError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient List<RaceViolation> violations;

    ThreadSafetyViolationError(String report, List<RaceViolation> violations) {
        super(report);
        this.violations = List.copyOf(violations);
    }

    /** The violations found, one per pair of call sites. */
    public List<RaceViolation> violations() {
        return violations == null ? List.of() : violations;
    }
}
