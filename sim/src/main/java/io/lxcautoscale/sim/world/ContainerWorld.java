package io.lxcautoscale.sim.world;

import io.lxcautoscale.sim.workload.Demand;
import io.lxcautoscale.sim.workload.Workload;

/**
 * The kernel's view of one running container: cumulative CPU, memory, I/O and network counters advanced tick
 * by tick from the workload's demand under the cgroup limits (CPU capped with the excess throttled, memory over
 * the limit swapped and then OOM-killed).
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
    long fileBytes;
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
        if (demand > 0.001) {
            double periods = dt / PERIOD_SECONDS;
            nrPeriods += periods;
            if (excess > 0.001) {
                nrThrottled += periods * Math.min(1, 4 * excess / demand);
                throttledUsec += excess * dt * 1e6;
            }
        }
        double somePercent = demand > 0.001 ? 100 * excess / demand : 0;
        cpuSome.advance(somePercent, dt);
        cpuFull.advance(somePercent * Math.min(1, excess / Math.max(cap, 0.01)) * 0.5, dt);
        double fraction = used / Math.max(0.01, limits.statusCpus());
        cpuFraction += (1 - Math.exp(-dt / 10)) * (fraction - cpuFraction);
    }

    private void advanceMemory(Demand d, double t, double dt, Limits limits) {
        long limit = limits.memoryMaxBytes();
        long swapLimit = limits.swapMaxBytes();
        reliefBytes *= Math.exp(-dt / 120);
        double anonWanted = Math.max(1 << 20, d.anonBytes() - reliefBytes);
        double kernel = kernelFor(anonWanted, d.processes());
        double beyond = anonWanted + kernel - limit;
        boolean reclaimed = false;
        if (beyond > swapLimit) {
            // reclaim and swap cannot make it fit: the kernel OOM-kills inside the cgroup
            eventsMax += Math.max(1, Math.round(dt));
            eventsOom++;
            eventsOomKill++;
            double before = anonWanted;
            workload.oomKilled(t);
            anonWanted = Math.max(1 << 20, workload.demand(t).anonBytes() - reliefBytes);
            if (anonWanted + kernel - limit > swapLimit || anonWanted >= before) {
                // the killed process held what was over the limit, plus what it had besides
                reliefBytes += (anonWanted + kernel - limit - swapLimit) + 0.1 * limit;
                anonWanted = Math.max(1 << 20, d.anonBytes() - reliefBytes);
            }
            kernel = kernelFor(anonWanted, d.processes());
            beyond = anonWanted + kernel - limit;
            reclaimed = true;
        }
        double swap = Math.max(beyond, swapBytes * Math.exp(-dt / 600));
        swap = Math.max(0, Math.min(Math.min(swapLimit, anonWanted * 0.9), swap));
        if (beyond > 0) {
            eventsMax += Math.max(1, Math.round(dt));
            reclaimed = true;
        }
        double anonResident = anonWanted - swap;
        double room = Math.max(0, limit - anonResident - kernel);
        double file = Math.min(d.fileBytes(), room);
        long high = limits.memoryHighBytes();
        if (anonResident + kernel + file > high) {
            file = Math.max(0, high - anonResident - kernel);
            reclaimed = true;
            if (anonResident + kernel > high) {
                eventsHigh += Math.max(1, Math.round(dt));
            }
        }
        double squeeze = d.fileBytes() > 0 ? 1 - file / d.fileBytes() : 0;
        double memPressure = reclaimed ? 20 + 60 * Math.min(1, Math.max(0, beyond) / Math.max(1, limit * 0.1)) : 5 * squeeze;
        memorySome.advance(memPressure, dt);
        memoryFull.advance(memPressure * 0.6, dt);
        anonBytes = (long) anonResident;
        kernelBytes = (long) kernel;
        fileBytes = (long) file;
        swapBytes = (long) swap;
        pgfault += dt * (200 + usedCores * 3000);
        pgmajfault += dt * (reclaimed ? 40 : 0.2);
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
