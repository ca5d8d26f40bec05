package io.lxcautoscale.model.replay.sim;

/**
 * A {@link ReplayPolicy} whose step is split in two, so that a {@link HostSession} can act between them
 * once per step for all traces: {@link #record} takes in step t's observation, {@link #decide} returns the
 * allocation for t + 1. {@link #observe} is both in a row (a trace on its own).
 */
public interface HostedPolicy extends ReplayPolicy {
    /** Takes in the observation of step t. */
    void record(Observation observation);

    /** The allocation that takes effect at t + 1, given everything recorded so far. */
    Resources decide();

    @Override
    default Resources observe(Observation observation) {
        record(observation);
        return decide();
    }
}
