package io.lxcautoscale.model.policy;

/**
 * Caps growth at what the node can give: host CPUs minus the reserve for one container's cores, Σ cores
 * within (CPUs − reserve) × overcommit, and Σ memory within host memory minus the reserve, counting what
 * the other containers hold. Only increases are capped; nothing is taken away here.
 */
public final class NodeCapacityLimit implements PolicyStep {
    /** How each reason this step adds begins (the daemon's capacity-capped notification looks for it). */
    public static final String REASON_PREFIX = "node capacity: ";

    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        NodeCapacity node = in.node();
        int currentCores = in.currentCores();
        int currentMemory = in.currentMemoryMb();
        Proposal out = p;
        int cores = p.cores();
        if (cores > currentCores) {
            long usable = Math.max(1, node.cpus() - s.node().reserveCores());
            long others = node.allocatedCores() - currentCores;
            long pool = (long) Math.floor(usable * s.node().cpuOvercommit()) - others;
            long cap = Math.max(currentCores, Math.min(usable, pool));
            if (cores > cap) {
                cores = (int) cap;
                out = out.because(String.format(REASON_PREFIX + "cores capped at %d (%d host CPUs, reserve %d, others hold %d)",
                        cores, node.cpus(), s.node().reserveCores(), others));
            }
        }
        int memoryMb = p.memoryMb();
        if (memoryMb > currentMemory) {
            long others = node.allocatedMemoryMb() - currentMemory;
            long cap = Math.max(currentMemory, node.memoryMb() - s.node().reserveMemoryMb() - others);
            if (memoryMb > cap) {
                memoryMb = (int) cap;
                out = out.because(String.format(REASON_PREFIX + "memory capped at %d MiB (host %d MiB, reserve %d MiB, others hold %d MiB)",
                        memoryMb, node.memoryMb(), s.node().reserveMemoryMb(), others));
            }
        }
        return out.withAllocation(cores, memoryMb);
    }
}
