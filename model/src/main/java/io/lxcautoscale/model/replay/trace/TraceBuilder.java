package io.lxcautoscale.model.replay.trace;

import java.util.Arrays;

/**
 * Collects one trace's rows and applies the skip rules of {@code docs/reference/replay-scoring.md} §2: a row with a non-positive core count, a
 * non-finite value or a timestamp that does not advance is skipped (and counted); a trace left with
 * fewer than {@link #MIN_STEPS} steps is skipped.
 */
public final class TraceBuilder {
    /** One day at 300 s; shorter traces are skipped. */
    public static final int MIN_STEPS = 288;

    private final String name;
    private final long stepSeconds;
    private final boolean hasMemory;
    private final SkipReport skips;
    private long[] timestamps = new long[1024];
    private double[] cpu = new double[1024];
    private double[] memory;
    private int size;
    private int provisionedCores;
    private int provisionedMemoryMb;

    /**
     * @param name        trace name, also used in skip messages
     * @param stepSeconds Δ
     * @param hasMemory   whether rows carry memory
     * @param skips       where skipped rows and traces are counted
     */
    public TraceBuilder(String name, long stepSeconds, boolean hasMemory, SkipReport skips) {
        this.name = name;
        this.stepSeconds = stepSeconds;
        this.hasMemory = hasMemory;
        this.skips = skips;
        this.memory = hasMemory ? new double[1024] : null;
    }

    /**
     * Offers one row; the provisioned size of the first accepted row becomes the trace's provisioned size.
     *
     * @param where               file and line, for the skip report
     * @param cores               provisioned cores in this row
     * @param memoryCapacityMb    provisioned memory in this row (ignored without memory)
     * @return whether the row was accepted
     */
    public boolean add(String where, long timestampSeconds, double cores, double cpuDemandCores,
                       double memoryCapacityMb, double memoryDemandMb) {
        if (!(cores > 0)) {
            skips.row("non-positive core count", where);
            return false;
        }
        if (!Double.isFinite(cores) || !Double.isFinite(cpuDemandCores) || cpuDemandCores < 0
                || (hasMemory && (!Double.isFinite(memoryCapacityMb) || !Double.isFinite(memoryDemandMb)
                || memoryDemandMb < 0))) {
            skips.row("non-finite or negative value", where);
            return false;
        }
        if (hasMemory && memoryCapacityMb < 1) {
            skips.row("non-positive memory capacity", where);
            return false;
        }
        if (size > 0 && timestampSeconds <= timestamps[size - 1]) {
            skips.row("timestamp does not advance", where);
            return false;
        }
        if (size == 0) {
            // Whole cores: Bitbrains and PlanetLab give integers; a fractional count is rounded down but kept ≥ 1.
            provisionedCores = Math.max(1, (int) Math.floor(cores));
            provisionedMemoryMb = hasMemory ? (int) Math.floor(memoryCapacityMb) : 0;
        }
        if (size == timestamps.length) {
            int n = size * 2;
            timestamps = Arrays.copyOf(timestamps, n);
            cpu = Arrays.copyOf(cpu, n);
            if (hasMemory) {
                memory = Arrays.copyOf(memory, n);
            }
        }
        timestamps[size] = timestampSeconds;
        cpu[size] = cpuDemandCores;
        if (hasMemory) {
            memory[size] = memoryDemandMb;
        }
        size++;
        return true;
    }

    /** The trace, or {@code null} (counted as a skipped trace) when it has fewer than {@link #MIN_STEPS} steps. */
    public Trace build() {
        if (size < MIN_STEPS) {
            skips.trace(SkipReport.TOO_SHORT, name + " (" + size + " steps)");
            return null;
        }
        return new Trace(name, stepSeconds, Arrays.copyOf(timestamps, size), Arrays.copyOf(cpu, size),
                hasMemory ? Arrays.copyOf(memory, size) : null, provisionedCores, provisionedMemoryMb);
    }
}
