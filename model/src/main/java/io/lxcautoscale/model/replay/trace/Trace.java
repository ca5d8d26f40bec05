package io.lxcautoscale.model.replay.trace;

import java.util.Objects;

/**
 * One container's demand over time at a fixed step, plus its provisioned size ({@code docs/reference/replay-scoring.md} §1).
 *
 * @param name                 the trace's name (file name, or VMID for a metrics file)
 * @param stepSeconds          Δ, the nominal time between two steps
 * @param timestampsSeconds    epoch seconds of each step, strictly increasing
 * @param cpuDemandCores       demanded CPU per step, in cores, not yet clipped to the provisioned size
 * @param memoryDemandMb       demanded memory per step in MiB, or {@code null} when the trace has no memory
 * @param provisionedCores     provisioned cores (≥ 1)
 * @param provisionedMemoryMb  provisioned memory in whole MiB, 0 when the trace has no memory
 */
public record Trace(String name, long stepSeconds, long[] timestampsSeconds, double[] cpuDemandCores,
                    double[] memoryDemandMb, int provisionedCores, int provisionedMemoryMb) {
    public Trace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestampsSeconds, "timestampsSeconds");
        Objects.requireNonNull(cpuDemandCores, "cpuDemandCores");
        if (stepSeconds <= 0) {
            throw new IllegalArgumentException(name + ": stepSeconds must be > 0, got " + stepSeconds);
        }
        if (cpuDemandCores.length != timestampsSeconds.length
                || (memoryDemandMb != null && memoryDemandMb.length != timestampsSeconds.length)) {
            throw new IllegalArgumentException(name + ": series lengths differ");
        }
        if (provisionedCores < 1) {
            throw new IllegalArgumentException(name + ": provisionedCores must be >= 1, got " + provisionedCores);
        }
        if (memoryDemandMb != null && provisionedMemoryMb < 1) {
            throw new IllegalArgumentException(name + ": provisionedMemoryMb must be >= 1, got " + provisionedMemoryMb);
        }
    }

    /** Number of steps. */
    public int steps() {
        return timestampsSeconds.length;
    }

    /** Whether the trace carries memory demand (PlanetLab does not). */
    public boolean hasMemory() {
        return memoryDemandMb != null;
    }
}
