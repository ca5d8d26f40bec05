package io.lxcautoscale.model.history;

/**
 * A container's policy steps as one node's model hands them to another after a migration (docs/cluster.md): the
 * steps are consecutive, the first starting at {@code firstStepStart}, each holding the mean CPU used (cores) and the
 * peak memory used (MiB); NaN where a step has no sample (or, for CPU, only a CPU % from the original's files).
 *
 * @param vmid           the container
 * @param hostname       its hostname on the node that kept the steps (null when no sample named it)
 * @param stepSeconds    the length of a step
 * @param firstStepStart start of the first step, epoch seconds (a multiple of {@code stepSeconds})
 * @param cpuCores       mean CPU used per step, cores
 * @param memoryPeakMb   peak memory used per step, MiB
 */
public record StepHistory(String vmid, String hostname, int stepSeconds, long firstStepStart, float[] cpuCores, float[] memoryPeakMb) {
    public StepHistory {
        if (stepSeconds <= 0 || Math.floorMod(firstStepStart, (long) stepSeconds) != 0) {
            throw new IllegalArgumentException("steps of " + stepSeconds + " s cannot start at " + firstStepStart);
        }
        if (cpuCores.length != memoryPeakMb.length) {
            throw new IllegalArgumentException(cpuCores.length + " CPU steps but " + memoryPeakMb.length + " memory steps");
        }
    }

    /** How many steps. */
    public int size() {
        return cpuCores.length;
    }

    /** End of the last step, epoch seconds. */
    public long endEpochSecond() {
        return firstStepStart + (long) size() * stepSeconds;
    }

    /** Steps with a known memory peak (what the memory warm-up counts). */
    public int stepsWithMemory() {
        int n = 0;
        for (float m : memoryPeakMb) {
            if (!Float.isNaN(m)) {
                n++;
            }
        }
        return n;
    }
}
