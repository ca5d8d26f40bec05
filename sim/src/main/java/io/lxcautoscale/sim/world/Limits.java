package io.lxcautoscale.sim.world;

/**
 * The limits a container's cgroup enforces: from its Proxmox config {@code cores} (null = all host CPUs),
 * {@code cpulimit} (0 = none), memory and swap in MiB; and the CPUs of the cpuset the last rebalance gave it,
 * which is what {@code cores} becomes on the host (it lags a change of {@code cores} by up to one rebalance).
 */
public record Limits(Integer cores, double cpulimit, int memoryMb, int swapMb, int hostCpus, java.util.List<Integer> cpuset) {
    /** Cores the container may use at most: min(CPUs of its cpuset, cpulimit ‖ ∞). */
    public double capCores() {
        double cap = cpuset.size();
        return cpulimit > 0 ? Math.min(cap, cpulimit) : cap;
    }

    /**
     * True when {@code cpu.max} (cpulimit) is tighter than the cpuset: only then does demand above the cap meet
     * CFS throttling; otherwise the cpuset caps it and the excess waits on the run queue.
     */
    public boolean cpulimitBinds() {
        return cpulimit > 0 && cpulimit < cpuset.size();
    }

    /** Proxmox's {@code cpus} figure: cores, else cpulimit, else the host CPU count. */
    public double statusCpus() {
        if (cores != null) {
            return cpulimit > 0 ? Math.min(cores, cpulimit) : cores;
        }
        return cpulimit > 0 ? cpulimit : hostCpus;
    }

    public long memoryMaxBytes() {
        return (long) memoryMb << 20;
    }

    /** {@code memory.high} as Proxmox writes it: memory·1024·1016 below 16 GiB, else (memory − 128) MiB. */
    public long memoryHighBytes() {
        return memoryMb < 16384 ? (long) memoryMb * 1024 * 1016 : (long) (memoryMb - 128) << 20;
    }

    public long swapMaxBytes() {
        return (long) swapMb << 20;
    }
}
