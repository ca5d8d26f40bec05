package io.lxcautoscale.model.policy;

/**
 * Keeps the allocation inside the container's [min, max] (global or its tier's). A container found
 * outside is brought inside in the right direction — but one above max is never cut below its own
 * demand (the original cut an 8-core container at 90 % CPU to 4 cores, bug 3).
 */
public final class Limits implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        Proposal out = p;
        // no cores line: the container is not "outside" the limits with every host CPU; CPU is left alone (Hysteresis)
        int cores = in.current().coresUnset() ? p.cores()
                : clamp(p.cores(), in.currentCores(), s.cpu().minCores(), s.cpu().maxCores(), Math.ceil(p.cpuTargetCores()));
        int memoryMb = clamp(p.memoryMb(), in.currentMemoryMb(), s.memory().minMb(), s.memory().maxMb(), Math.ceil(p.memoryTargetMb()));
        if (cores != p.cores()) {
            out = out.asCpuSafety().because(String.format("cores kept within [%d, %d]: %d", s.cpu().minCores(), s.cpu().maxCores(), cores));
        }
        if (memoryMb != p.memoryMb()) {
            out = out.asMemorySafety().because(String.format("memory kept within [%d, %d] MiB: %d MiB", s.memory().minMb(), s.memory().maxMb(), memoryMb));
        }
        return out.withAllocation(cores, memoryMb);
    }

    /**
     * @param proposed value proposed so far
     * @param current  the allocation now
     * @param demand   the target with margin, rounded up (NaN when unknown)
     */
    static int clamp(int proposed, int current, int min, int max, double demand) {
        if (current > max) {
            // bring it down toward max, but not below what it uses, and never above where it is
            double floor = Double.isNaN(demand) ? current : Math.max(max, demand);
            return (int) Math.min(current, Math.max(Math.min(proposed, max), floor));
        }
        return Math.max(min, Math.min(max, proposed));
    }
}
