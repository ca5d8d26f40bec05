package io.lxcautoscale.sim.world;

/**
 * The limits a container's cgroup enforces, from its Proxmox config: {@code cores} (null = all host CPUs),
 * {@code cpulimit} (0 = none), memory and swap in MiB, and the CPUs of its cpuset.
 */
public record Limits(Integer cores, double cpulimit, int memoryMb, int swapMb, int hostCpus, java.util.List<Integer> cpuset) {
    /** Cores the container may use at most: min(cores ‖ host CPUs, cpulimit ‖ ∞). */
    public double capCores() {
        double cap = cores == null ? hostCpus : Math.min(cores, hostCpus);
        return cpulimit > 0 ? Math.min(cap, cpulimit) : cap;
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
