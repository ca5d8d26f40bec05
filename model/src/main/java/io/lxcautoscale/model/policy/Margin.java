package io.lxcautoscale.model.policy;

/**
 * Adds the safety margins to the demand targets: {@code cpu_margin_percent} to CPU, the memory risk
 * preset's margin to memory, so the allocation sits above the estimate.
 */
public final class Margin implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        return p.withTargets(p.cpuTargetCores() * (1.0 + s.cpu().marginFraction()),
                p.memoryTargetMb() * (1.0 + s.memory().marginFraction()));
    }
}
