package io.lxcautoscale.sim.world;

import io.lxcautoscale.sim.workload.Demand;
import io.lxcautoscale.sim.workload.Workload;

/**
 * The kernel's view of one running container: cumulative CPU, memory, I/O and network counters advanced tick
 * by tick from the workload's demand under the cgroup limits: CPU capped at the cpuset (the excess waits, seen in
 * {@code cpu.pressure}) or at {@code cpu.max} (the excess is throttled); memory above {@code memory.high}
 * reclaimed, above {@code memory.max} swapped and then OOM-killed.
 */
public final class ContainerWorld {
    private static final double PERIOD_SECONDS = 0.1; // cpu.max period 100000 µs

    final int vmid;
    final Workload workload;
    // cpu.stat
    double usageUsec;
    double userUsec;
    double systemUsec;
    double nrPeriods;
    double nrThrottled;
    double throttledUsec;
    // memory
    long anonBytes;
    /** Page cache including {@link #shmemBytes}, as {@code memory.stat file} counts it. */
    long fileBytes;
    /** tmpfs / shared memory resident in RAM: part of {@code file}, reclaimable only to swap. */
    long shmemBytes;
    long kernelBytes;
    long swapBytes;
    long eventsHigh;
    long eventsMax;
    long eventsOom;
    long eventsOomKill;
    double pgfault;
    double pgmajfault;
    double reliefBytes;
    // io.stat, network (container view), pids
    double readBytes;
    double writeBytes;
    double readIos;
    double writeIos;
    double netRxBytes;
    double netTxBytes;
    int processes;
    double diskUsedBytes;
    final Pressure cpuSome = new Pressure();
    final Pressure cpuFull = new Pressure();
    final Pressure memorySome = new Pressure();
    final Pressure memoryFull = new Pressure();
    final Pressure ioSome = new Pressure();
    final Pressure ioFull = new Pressure();
    /** CPU used over the last tick, in cores, and the pvestatd-like 10 s average as a fraction of {@code cpus}. */
    double usedCores;
    double cpuFraction;
    Limits limits;

    public ContainerWorld(int vmid, Workload workload, double diskUsedBytes) {
        this.vmid = vmid;
        this.workload = workload;
        this.diskUsedBytes = diskUsedBytes;
    }

    /** Advances the counters by {@code dt} simulated seconds ending at {@code t} under {@code limits}. */
    public void advance(double t, double dt, Limits limits) {
        this.limits = limits;
        Demand d = workload.demand(t);
        advanceCpu(d, dt, limits);
        advanceMemory(d, t, dt, limits);
        double reads = d.readBytesPerSecond() * dt;
        double writes = d.writeBytesPerSecond() * dt;
        readBytes += reads;
        writeBytes += writes;
        readIos += reads / 16384;
        writeIos += writes / 32768;
        netRxBytes += d.rxBytesPerSecond() * dt;
        netTxBytes += d.txBytesPerSecond() * dt;
        processes = d.processes();
        // a small share of the writes stays on disk (logs, data); the rootfs never fills past 98 %
        diskUsedBytes += writes * 0.002;
        double ioMbPerSecond = (d.readBytesPerSecond() + d.writeBytesPerSecond()) / (1 << 20);
        ioSome.advance(Math.min(30, ioMbPerSecond * 0.5), dt);
        ioFull.advance(Math.min(20, ioMbPerSecond * 0.3), dt);
    }

    private void advanceCpu(Demand d, double dt, Limits limits) {
        double cap = limits.capCores();
        double demand = d.cpuCores();
        double used = Math.min(demand, cap);
        double excess = Math.max(0, demand - cap);
        usedCores = used;
        usageUsec += used * dt * 1e6;
        userUsec += used * dt * 1e6 * 0.82;
        systemUsec = usageUsec - userUsec;
        boolean throttled = limits.cpulimitBinds();
        if (limits.cpulimit() > 0 && demand > 0.001) {
            // CFS bandwidth control runs only under a quota (cpu.max): without cpulimit nr_periods stays 0 too
            double periods = dt / PERIOD_SECONDS;
            nrPeriods += periods;
            if (throttled && excess > 0.001) {
                nrThrottled += periods * Math.min(1, 4 * excess / demand);
                throttledUsec += excess * dt * 1e6;
            }
        }
        // Demand beyond the cpuset waits on the run queue: PSI "some" is the share of demand not served. Tasks
        // held back by the quota are dequeued until the next period, so that share shows as throttling instead.
        double waiting = throttled ? 0 : excess;
        double somePercent = demand > 0.001 ? 100 * waiting / demand : 0;
        cpuSome.advance(somePercent, dt);
        cpuFull.advance(somePercent * Math.min(1, waiting / Math.max(cap, 0.01)) * 0.5, dt);
        double fraction = used / Math.max(0.01, limits.statusCpus());
        cpuFraction += (1 - Math.exp(-dt / 10)) * (fraction - cpuFraction);
    }

    private void advanceMemory(Demand d, double t, double dt, Limits limits) {
        long limit = limits.memoryMaxBytes();
        long swapLimit = limits.swapMaxBytes();
        // tmpfs pages stay charged whatever happens to the processes: a kill frees none of them
        double shmem = d.shmemBytes();
        reliefBytes *= Math.exp(-dt / 120);
        double anonWanted = Math.max(1 << 20, d.anonBytes() - reliefBytes);
        double kernel = kernelFor(anonWanted, d.processes());
        double beyond = anonWanted + shmem + kernel - limit;
        boolean stalled = false;
        if (beyond > swapLimit) {
            // reclaim and swap cannot make it fit: the kernel OOM-kills inside the cgroup
            eventsMax += Math.max(1, Math.round(dt));
            eventsOom++;
            eventsOomKill++;
            double before = anonWanted;
            workload.oomKilled(t);
            anonWanted = Math.max(1 << 20, workload.demand(t).anonBytes() - reliefBytes);
            if (anonWanted + shmem + kernel - limit > swapLimit || anonWanted >= before) {
                // the killed process held what was over the limit, plus what it had besides
                reliefBytes += Math.max(0, anonWanted + shmem + kernel - limit - swapLimit) + 0.1 * limit;
                anonWanted = Math.max(1 << 20, d.anonBytes() - reliefBytes);
            }
            kernel = kernelFor(anonWanted, d.processes());
            beyond = anonWanted + shmem + kernel - limit;
            stalled = true;
        }
        // anon and tmpfs pages go to swap (anon first); page cache is dropped instead
        double swap = Math.max(beyond, swapBytes * Math.exp(-dt / 600));
        swap = Math.max(0, Math.min(Math.min(swapLimit, (anonWanted + shmem) * 0.9), swap));
        if (beyond > 0) {
            eventsMax += Math.max(1, Math.round(dt));
            stalled = true;
        }
        double anonSwapped = Math.min(swap, anonWanted);
        double anonResident = anonWanted - anonSwapped;
        double shmemResident = Math.max(0, shmem - (swap - anonSwapped));
        double unreclaimable = anonResident + shmemResident + kernel;
        double cache = Math.min(d.fileBytes(), Math.max(0, limit - unreclaimable));
        long high = limits.memoryHighBytes();
        if (unreclaimable + cache > high) {
            // over memory.high the allocating tasks reclaim directly: page cache first, throttled if that is not enough
            eventsHigh += Math.max(1, Math.round(dt));
            cache = Math.max(0, high - unreclaimable);
            stalled |= unreclaimable > high;
        }
        double squeeze = d.fileBytes() > 0 ? 1 - cache / d.fileBytes() : 0;
        double memPressure = stalled ? 20 + 60 * Math.min(1, Math.max(0, beyond) / Math.max(1, limit * 0.1)) : 5 * squeeze;
        memorySome.advance(memPressure, dt);
        memoryFull.advance(memPressure * 0.6, dt);
        anonBytes = (long) anonResident;
        kernelBytes = (long) kernel;
        shmemBytes = (long) shmemResident;
        fileBytes = (long) (cache + shmemResident);
        swapBytes = (long) swap;
        pgfault += dt * (200 + usedCores * 3000);
        pgmajfault += dt * (stalled ? 40 : 0.2);
    }

    private static double kernelFor(double anon, int processes) {
        return 4.0 * (1 << 20) + 0.025 * anon + processes * 48.0 * 1024;
    }

    public long memoryCurrentBytes() {
        return anonBytes + fileBytes + kernelBytes;
    }

    public int vmid() {
        return vmid;
    }

    public double cpuFraction() {
        return cpuFraction;
    }

    public long diskUsedBytes() {
        return (long) diskUsedBytes;
    }

    public long eventsOomKill() {
        return eventsOomKill;
    }

    public double usedCores() {
        return usedCores;
    }
}
