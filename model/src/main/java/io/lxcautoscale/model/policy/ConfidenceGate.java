package io.lxcautoscale.model.policy;

/**
 * Holds a change whose {@link Confidence} is below {@code scaling.min_confidence} (0 turns the gate off).
 * Safety-driven changes pass: the later steps (limits, node capacity, memory floor) still apply.
 */
public final class ConfidenceGate implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        double min = in.settings().minConfidence();
        boolean changes = p.cores() != in.currentCores() || p.memoryMb() != in.currentMemoryMb();
        if (min <= 0 || !changes || p.safety()) {
            return p;
        }
        double confidence = Confidence.of(p, in);
        if (confidence >= min) {
            return p;
        }
        return p.withAllocation(in.currentCores(), in.currentMemoryMb())
                .because(String.format("confidence %.1f%% below min_confidence %.1f%%: change held", confidence, min));
    }
}
