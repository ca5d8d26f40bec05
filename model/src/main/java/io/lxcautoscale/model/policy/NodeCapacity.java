package io.lxcautoscale.model.policy;

/**
 * The host's size and what all its running containers hold now.
 *
 * @param cpus                    host CPUs
 * @param memoryMb                host memory, MiB
 * @param allocatedCores          Σ cores of the running containers (this one included)
 * @param allocatedMemoryMb       Σ memory of the running containers (this one included), MiB
 */
public record NodeCapacity(int cpus, long memoryMb, long allocatedCores, long allocatedMemoryMb) {
    public NodeCapacity {
        if (cpus <= 0 || memoryMb <= 0) {
            throw new IllegalArgumentException("node capacity must be positive, got " + cpus + " CPUs, " + memoryMb + " MiB");
        }
    }
}
