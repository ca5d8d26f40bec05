package io.lxcautoscale.sim.world;

/** Text of the host's {@code /proc} files in the kernel's formats. */
final class ProcFiles {
    static final String NET_DEV_HEADER = "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";

    private ProcFiles() {
    }

    static String netDevLine(String name, long rxBytes, long txBytes) {
        return String.format("%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n",
                name, rxBytes, rxBytes / 900, 0, 0, 0, 0, 0, 0, txBytes, txBytes / 900, 0, 0, 0, 0, 0, 0);
    }

    static String meminfo(long totalBytes, long usedBytes, long cacheBytes, long swapUsedBytes) {
        long total = totalBytes >> 10;
        long used = Math.min(total, usedBytes >> 10);
        long cached = Math.min(total - used, cacheBytes >> 10);
        long buffers = Math.min(total - used - cached, 180_000);
        long free = Math.max(0, total - used - cached - buffers);
        long available = free + cached * 8 / 10 + buffers;
        long swapTotal = 8L << 20;
        long swapFree = Math.max(0, swapTotal - (swapUsedBytes >> 10));
        StringBuilder s = new StringBuilder();
        kb(s, "MemTotal", total);
        kb(s, "MemFree", free);
        kb(s, "MemAvailable", available);
        kb(s, "Buffers", buffers);
        kb(s, "Cached", cached);
        kb(s, "SwapCached", 0);
        kb(s, "Active", used * 4 / 10 + cached / 2);
        kb(s, "Inactive", used * 6 / 10 + cached / 2);
        kb(s, "Active(anon)", used * 4 / 10);
        kb(s, "Inactive(anon)", used * 6 / 10);
        kb(s, "Active(file)", cached / 2);
        kb(s, "Inactive(file)", cached - cached / 2);
        kb(s, "Unevictable", 0);
        kb(s, "Mlocked", 0);
        kb(s, "SwapTotal", swapTotal);
        kb(s, "SwapFree", swapFree);
        kb(s, "Zswap", 0);
        kb(s, "Zswapped", 0);
        kb(s, "Dirty", 412);
        kb(s, "Writeback", 0);
        kb(s, "AnonPages", used * 9 / 10);
        kb(s, "Mapped", cached / 4);
        kb(s, "Shmem", cached / 20);
        kb(s, "KReclaimable", used / 30);
        kb(s, "Slab", used / 20);
        kb(s, "SReclaimable", used / 30);
        kb(s, "SUnreclaim", used / 20 - used / 30);
        kb(s, "KernelStack", 12_000);
        kb(s, "PageTables", used / 200);
        kb(s, "SecPageTables", 0);
        kb(s, "NFS_Unstable", 0);
        kb(s, "Bounce", 0);
        kb(s, "WritebackTmp", 0);
        kb(s, "CommitLimit", total / 2 + swapTotal);
        kb(s, "Committed_AS", used * 2);
        kb(s, "VmallocTotal", 34359738367L);
        kb(s, "VmallocUsed", 210_000);
        kb(s, "VmallocChunk", 0);
        kb(s, "Percpu", 9_000);
        kb(s, "HardwareCorrupted", 0);
        kb(s, "AnonHugePages", 0);
        kb(s, "ShmemHugePages", 0);
        kb(s, "ShmemPmdMapped", 0);
        kb(s, "FileHugePages", 0);
        kb(s, "FilePmdMapped", 0);
        s.append(String.format("%-16s%8d\n", "HugePages_Total:", 0));
        s.append(String.format("%-16s%8d\n", "HugePages_Free:", 0));
        s.append(String.format("%-16s%8d\n", "HugePages_Rsvd:", 0));
        s.append(String.format("%-16s%8d\n", "HugePages_Surp:", 0));
        kb(s, "Hugepagesize", 2048);
        kb(s, "Hugetlb", 0);
        kb(s, "DirectMap4k", 400_000);
        kb(s, "DirectMap2M", total / 2);
        kb(s, "DirectMap1G", total / 2);
        return s.toString();
    }

    private static void kb(StringBuilder s, String name, long kb) {
        s.append(String.format("%-16s%8d kB\n", name + ":", kb));
    }

    /** {@code /proc/<pid>/stat} of a container's init: field 22 is the start time in ticks since boot. */
    static String pidStat(int pid, ContainerWorld c, long startTicks) {
        long utime = (long) (c.userUsec / 10_000);
        long stime = (long) (c.systemUsec / 10_000);
        StringBuilder s = new StringBuilder();
        s.append(pid).append(" (systemd) S ").append(pid - 1).append(' ').append(pid).append(' ').append(pid)
                .append(" 0 -1 4194560 ").append((long) c.pgfault).append(" 0 ").append((long) c.pgmajfault).append(" 0 ")
                .append(utime).append(' ').append(stime).append(" 0 0 20 0 1 0 ").append(startTicks).append(' ')
                .append(170_000_000L).append(' ').append(3000);
        for (int i = 25; i <= 52; i++) {
            s.append(" 0");
        }
        return s.append('\n').toString();
    }
}
