package io.lxcautoscale.model.replay.sim;

/**
 * The limits {@code docs/reference/replay-scoring.md} §3 imposes on every policy: cores in {@code [1, provisioned]}, memory in
 * {@code [min(256, provisioned), provisioned]} MiB; a policy's own min/max apply inside these.
 */
public record Bounds(int minCores, int maxCores, int minMemoryMb, int maxMemoryMb, boolean hasMemory) {
    /** Smallest memory floor any policy may use, in MiB. */
    public static final int MEMORY_FLOOR_MB = 256;

    /** The bounds for a container provisioned with {@code cores} and {@code memoryMb} (0 = no memory). */
    public static Bounds forProvisioned(int cores, int memoryMb, boolean hasMemory) {
        return new Bounds(1, cores, hasMemory ? Math.min(MEMORY_FLOOR_MB, memoryMb) : 0, hasMemory ? memoryMb : 0,
                hasMemory);
    }

    /** The provisioned size, which is also the allocation at t = 0. */
    public Resources provisioned() {
        return new Resources(maxCores, maxMemoryMb);
    }

    /** Clamps cores into the core range. */
    public int clampCores(long cores) {
        return (int) Math.max(minCores, Math.min(maxCores, cores));
    }

    /** Clamps memory into the memory range (0 without memory). */
    public int clampMemoryMb(long memoryMb) {
        return hasMemory ? (int) Math.max(minMemoryMb, Math.min(maxMemoryMb, memoryMb)) : 0;
    }

    /** {@code r} clamped into these bounds. */
    public Resources clamp(Resources r) {
        return new Resources(clampCores(r.cores()), clampMemoryMb(r.memoryMb()));
    }
}
