package io.lxcautoscale.model.replay.sim;

/**
 * A scaling policy as the replay drives it: one instance per trace, fed each step's observation in
 * order, returning the allocation for the next step (clamped to the trace's {@link Bounds} by the
 * simulator). All earlier observations are the policy's to remember.
 */
public interface ReplayPolicy {
    /** Observes step t and returns the allocation that takes effect at t + 1. */
    Resources observe(Observation observation);
}
