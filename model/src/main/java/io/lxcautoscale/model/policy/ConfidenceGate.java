package io.lxcautoscale.model.policy;

/**
 * Holds a change whose {@link Confidence} is below {@code scaling.min_confidence} (0 turns the gate off),
 * each resource on its own evidence: a safety-driven memory change (an OOM, the floor) lets memory through
 * but never exempts a cores change, and the other way round. The later guards (limits, node capacity,
 * memory floor) still apply to what passes.
 */
public final class ConfidenceGate implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        double min = in.settings().minConfidence();
        if (min <= 0) {
            return p;
        }
        Proposal out = p;
        int cores = p.cores();
        int memoryMb = p.memoryMb();
        double cpu = Confidence.ofCpu(p, in);
        if (cores != in.currentCores() && !p.cpuSafety() && cpu < min) {
            cores = in.currentCores();
            out = out.because(String.format("CPU confidence %.1f%% below min_confidence %.1f%%: cores change held", cpu, min));
        }
        double memory = Confidence.ofMemory(p, in);
        if (memoryMb != in.currentMemoryMb() && !p.memorySafety() && memory < min) {
            memoryMb = in.currentMemoryMb();
            out = out.because(String.format("memory confidence %.1f%% below min_confidence %.1f%%: memory change held", memory, min));
        }
        return out.withAllocation(cores, memoryMb);
    }
}
