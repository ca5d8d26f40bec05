package io.lxcautoscale.common.cgroup;

import io.lxcautoscale.common.read.ByteText;

/**
 * The figures one read of a container's cgroup gives, as primitives so a reader can reuse one instance per
 * container forever. A counter that could not be read is {@link ByteText#ABSENT}; a limit that is {@code max} is
 * {@link ByteText#UNLIMITED}; a PSI average that could not be read is NaN. Byte figures are bytes, times µs.
 */
public class CgroupCounters {
    public long cpuUsageUsec;
    public long nrPeriods;
    public long nrThrottled;
    public long throttledUsec;

    public long memoryCurrentBytes;
    /** {@code memory.stat file} (v2; page cache including shmem) or {@code total_cache} (v1). */
    public long memoryFileBytes;
    /** {@code memory.stat anon} (v2) or {@code total_rss} (v1). */
    public long memoryAnonBytes;
    /** {@code memory.stat shmem} (v2) or {@code total_shmem} (v1): tmpfs and shared memory, part of file. */
    public long memoryShmemBytes;
    /** {@code memory.stat kernel} (v2, kernel 5.18+) or {@code memory.kmem.usage_in_bytes} (v1 with kmem accounting). */
    public long memoryKernelBytes;
    public long memoryMaxBytes;
    public long memoryHighBytes;
    public long swapCurrentBytes;
    public long swapMaxBytes;
    public long eventsHigh;
    public long eventsMax;
    public long eventsOom;
    /** OOM kills in the container: v2 {@code memory.events} (hierarchical); v1 the sum of {@code lxc/<vmid>} and its {@code ns} child. */
    public long eventsOomKill;

    public double cpuSomeAvg10;
    public double cpuFullAvg10;
    /** PSI {@code some total=} of {@code cpu.pressure}: cumulative µs with runnable tasks waiting (v2 only). */
    public long cpuSomeTotalUsec;
    public double memorySomeAvg10;
    public double memoryFullAvg10;
    /** PSI {@code some total=} of {@code memory.pressure}: cumulative µs with tasks stalled on memory (v2 only). */
    public long memorySomeTotalUsec;
    public double ioSomeAvg10;
    public double ioFullAvg10;

    public long ioReadBytes;
    public long ioWriteBytes;
    public long ioReadOps;
    public long ioWriteOps;

    public long pids;

    /** Forgets every cgroup figure: all absent. */
    public void clear() {
        cpuUsageUsec = nrPeriods = nrThrottled = throttledUsec = ByteText.ABSENT;
        memoryCurrentBytes = memoryFileBytes = memoryMaxBytes = memoryHighBytes = ByteText.ABSENT;
        memoryAnonBytes = memoryShmemBytes = memoryKernelBytes = ByteText.ABSENT;
        swapCurrentBytes = swapMaxBytes = ByteText.ABSENT;
        eventsHigh = eventsMax = eventsOom = eventsOomKill = ByteText.ABSENT;
        cpuSomeAvg10 = cpuFullAvg10 = memorySomeAvg10 = memoryFullAvg10 = ioSomeAvg10 = ioFullAvg10 = Double.NaN;
        cpuSomeTotalUsec = memorySomeTotalUsec = ByteText.ABSENT;
        ioReadBytes = ioWriteBytes = ioReadOps = ioWriteOps = ByteText.ABSENT;
        pids = ByteText.ABSENT;
    }

    /**
     * Memory the kernel cannot give back without swap or a kill: anon + shmem + kernel. Kernel memory counts when
     * it is known (cgroup v1 without kmem accounting has none). {@link ByteText#ABSENT} when anon or shmem is unknown.
     */
    public long unreclaimableBytes() {
        if (memoryAnonBytes < 0 || memoryShmemBytes < 0) {
            return ByteText.ABSENT;
        }
        return memoryAnonBytes + memoryShmemBytes + Math.max(0, memoryKernelBytes);
    }

    /**
     * Used memory as Proxmox computes {@code mem}: {@code memory.current − file} (v2) or
     * {@code usage_in_bytes − total_cache} (v1); {@link ByteText#ABSENT} when either is unknown.
     */
    public long usedBytes() {
        if (memoryCurrentBytes < 0 || memoryFileBytes < 0) {
            return ByteText.ABSENT;
        }
        return Math.max(0, memoryCurrentBytes - memoryFileBytes);
    }
}
