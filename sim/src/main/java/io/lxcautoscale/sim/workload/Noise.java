package io.lxcautoscale.sim.workload;

/**
 * Deterministic pseudo-random numbers keyed by (seed, simulated second), so a run's workload depends on the
 * seed and the simulated time only, never on how ticks happened to fall in wall time.
 */
public final class Noise {
    private Noise() {
    }

    /** A uniform number in [0, 1) for {@code key} under {@code seed} (SplitMix64 finaliser). */
    public static double unit(long seed, long key) {
        long z = seed + 0x9E3779B97F4A7C15L * (key + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
