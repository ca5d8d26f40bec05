package io.lxcautoscale.sim.workload;

/**
 * The parts of a workload that every type shares: resident memory, page cache, tmpfs, I/O and network rates and
 * the process count, with deterministic jitter.
 */
public record Profile(double memoryMb, double cacheMb, double readKbPerSecond, double writeKbPerSecond,
                      double rxKbPerSecond, double txKbPerSecond, int processes, double jitter, long seed, double tmpfsMb) {

    /** A profile without tmpfs. */
    public Profile(double memoryMb, double cacheMb, double readKbPerSecond, double writeKbPerSecond, double rxKbPerSecond,
                   double txKbPerSecond, int processes, double jitter, long seed) {
        this(memoryMb, cacheMb, readKbPerSecond, writeKbPerSecond, rxKbPerSecond, txKbPerSecond, processes, jitter, seed, 0);
    }

    /** The demand with this profile's memory and I/O, {@code cpuCores} and {@code anonMb} given by the workload. */
    public Demand demand(double simSeconds, double cpuCores, double anonMb, double activity) {
        long second = (long) Math.floor(simSeconds);
        double n = 1 + jitter * (2 * Noise.unit(seed, second) - 1);
        double m = 1 + jitter * 0.2 * (2 * Noise.unit(seed ^ 0x5bd1e995L, second) - 1);
        double a = Math.max(0, activity);
        return new Demand(Math.max(0, cpuCores * n),
                (long) (Math.max(1, anonMb * m) * (1 << 20)),
                (long) (cacheMb * (1 << 20)),
                readKbPerSecond * 1024 * a * n, writeKbPerSecond * 1024 * a * n,
                rxKbPerSecond * 1024 * a * n, txKbPerSecond * 1024 * a * n,
                Math.max(1, (int) Math.round(processes * (0.8 + 0.4 * Math.min(1.5, a)))),
                (long) (tmpfsMb * (1 << 20)));
    }
}
