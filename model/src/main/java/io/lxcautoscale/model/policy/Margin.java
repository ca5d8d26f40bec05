package io.lxcautoscale.model.policy;

/** Adds the safety margin to both demand targets (VPA's 15 %), so the allocation sits above the estimate. */
public final class Margin implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        double factor = 1.0 + in.settings().marginFraction();
        return p.withTargets(p.cpuTargetCores() * factor, p.memoryTargetMb() * factor);
    }
}
