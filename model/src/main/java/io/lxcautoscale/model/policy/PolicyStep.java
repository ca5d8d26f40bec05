package io.lxcautoscale.model.policy;

/** One link of the scaling policy: takes the proposal so far and returns it refined. Pure, no I/O. */
public interface PolicyStep {
    Proposal apply(Proposal proposal, PolicyInput input);
}
