package dev.jchaos.core;

/**
 * A delay point as it is now.
 *
 * @param id            the point id
 * @param declaredBy    the method that declared the point, {@code fqcn#method} (the first one when several share
 *                      the id)
 * @param actions       the active actions in the action language, or {@code null} when the point is not active
 * @param calls         calls that passed through the point while it was armed (active and chaos enabled)
 * @param injections    calls in which a delay, hang or throw was injected
 * @param injectedNanos total time threads spent inside injected delays and hangs
 * @param inFlight      threads inside a delay or hang at this point right now
 */
public record PointSnapshot(String id, String declaredBy, String actions, long calls, long injections,
                            long injectedNanos, int inFlight) {
}
