package io.lxcautoscale.common.cgroup;

import static io.lxcautoscale.common.read.ByteText.ABSENT;
import static io.lxcautoscale.common.read.ByteText.GARBAGE;
import static io.lxcautoscale.common.read.ByteText.GARBAGE_DOUBLE;
import static io.lxcautoscale.common.read.ByteText.key;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import java.nio.file.Path;

/**
 * The unified cgroup v2 tree (Proxmox 7+): limits and accounting of container {@code <vmid>} in
 * {@code <root>/lxc/<vmid>/}, the container's processes in {@code ns/} below it.
 */
public final class CgroupV2 implements CgroupLayout {
    private static final String[] NAMES = {
        "cpu.stat", "memory.current", "memory.stat", "memory.max", "memory.high", "memory.swap.current",
        "memory.swap.max", "memory.events", "cpu.pressure", "memory.pressure", "io.pressure", "io.stat", "pids.current",
    };
    private static final int CPU_STAT = 0;
    private static final int MEMORY_CURRENT = 1;
    private static final int MEMORY_STAT = 2;
    private static final int MEMORY_MAX = 3;
    private static final int MEMORY_HIGH = 4;
    private static final int SWAP_CURRENT = 5;
    private static final int SWAP_MAX = 6;
    private static final int MEMORY_EVENTS = 7;
    private static final int CPU_PRESSURE = 8;
    private static final int MEMORY_PRESSURE = 9;
    private static final int IO_PRESSURE = 10;
    private static final int IO_STAT = 11;
    private static final int PIDS_CURRENT = 12;

    private static final byte[] USAGE_USEC = key("usage_usec");
    private static final byte[] NR_PERIODS = key("nr_periods");
    private static final byte[] NR_THROTTLED = key("nr_throttled");
    private static final byte[] THROTTLED_USEC = key("throttled_usec");
    private static final byte[] FILE = key("file");
    private static final byte[] ANON = key("anon");
    private static final byte[] SHMEM = key("shmem");
    private static final byte[] KERNEL = key("kernel");
    private static final byte[] HIGH = key("high");
    private static final byte[] MAX = key("max");
    private static final byte[] OOM = key("oom");
    private static final byte[] OOM_KILL = key("oom_kill");
    private static final byte[] SOME = key("some");
    private static final byte[] FULL = key("full");

    private final Path root;
    private final Path containers;
    private final IoStat io;
    private final boolean readSwap;

    CgroupV2(Path root, DeviceFilter devices, boolean readSwap) {
        this.root = root;
        this.containers = root.resolve("lxc");
        this.io = new IoStat(devices);
        this.readSwap = readSwap;
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public Path containersDir() {
        return containers;
    }

    @Override
    public Path nsDir(int vmid) {
        return containers.resolve(Integer.toString(vmid)).resolve("ns");
    }

    @Override
    public FileSet files(int vmid) {
        String dir = containers.resolve(Integer.toString(vmid)).toString();
        String[] paths = new String[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            paths[i] = dir + "/" + NAMES[i];
        }
        return new FileSet(dir, paths);
    }

    @Override
    public boolean read(FileSet f, CgroupCounters raw, SmallFileReader r, FileProblems problems) {
        f.startCycle();
        byte[] b = r.buffer();
        int n = f.read(CPU_STAT, r, problems);
        if (n >= 0) {
            b = r.buffer();
            raw.cpuUsageUsec = checked(ByteText.keyed(b, n, USAGE_USEC), f, CPU_STAT, problems, "usage_usec");
            raw.nrPeriods = checked(ByteText.keyed(b, n, NR_PERIODS), f, CPU_STAT, problems, "nr_periods");
            raw.nrThrottled = checked(ByteText.keyed(b, n, NR_THROTTLED), f, CPU_STAT, problems, "nr_throttled");
            raw.throttledUsec = checked(ByteText.keyed(b, n, THROTTLED_USEC), f, CPU_STAT, problems, "throttled_usec");
        }
        raw.memoryCurrentBytes = single(f, MEMORY_CURRENT, r, problems);
        n = f.read(MEMORY_STAT, r, problems);
        if (n >= 0) {
            b = r.buffer();
            raw.memoryFileBytes = checked(ByteText.keyed(b, n, FILE), f, MEMORY_STAT, problems, "file");
            raw.memoryAnonBytes = checked(ByteText.keyed(b, n, ANON), f, MEMORY_STAT, problems, "anon");
            raw.memoryShmemBytes = checked(ByteText.keyed(b, n, SHMEM), f, MEMORY_STAT, problems, "shmem");
            // kernels before 5.18 have no "kernel" line: absent, not garbage
            raw.memoryKernelBytes = checked(ByteText.keyed(b, n, KERNEL), f, MEMORY_STAT, problems, "kernel");
        }
        raw.memoryMaxBytes = single(f, MEMORY_MAX, r, problems);
        raw.memoryHighBytes = single(f, MEMORY_HIGH, r, problems);
        if (readSwap) {
            raw.swapCurrentBytes = single(f, SWAP_CURRENT, r, problems);
            raw.swapMaxBytes = single(f, SWAP_MAX, r, problems);
        }
        n = f.read(MEMORY_EVENTS, r, problems);
        if (n >= 0) {
            b = r.buffer();
            raw.eventsHigh = checked(ByteText.keyed(b, n, HIGH), f, MEMORY_EVENTS, problems, "high");
            raw.eventsMax = checked(ByteText.keyed(b, n, MAX), f, MEMORY_EVENTS, problems, "max");
            raw.eventsOom = checked(ByteText.keyed(b, n, OOM), f, MEMORY_EVENTS, problems, "oom");
            raw.eventsOomKill = checked(ByteText.keyed(b, n, OOM_KILL), f, MEMORY_EVENTS, problems, "oom_kill");
        }
        n = f.read(CPU_PRESSURE, r, problems);
        if (n >= 0) {
            raw.cpuSomeAvg10 = checked(ByteText.psiAvg10(r.buffer(), n, SOME), f, CPU_PRESSURE, problems);
            raw.cpuFullAvg10 = checked(ByteText.psiAvg10(r.buffer(), n, FULL), f, CPU_PRESSURE, problems);
            raw.cpuSomeTotalUsec = checked(ByteText.psiTotal(r.buffer(), n, SOME), f, CPU_PRESSURE, problems, "some total");
        }
        n = f.read(MEMORY_PRESSURE, r, problems);
        if (n >= 0) {
            raw.memorySomeAvg10 = checked(ByteText.psiAvg10(r.buffer(), n, SOME), f, MEMORY_PRESSURE, problems);
            raw.memoryFullAvg10 = checked(ByteText.psiAvg10(r.buffer(), n, FULL), f, MEMORY_PRESSURE, problems);
            raw.memorySomeTotalUsec = checked(ByteText.psiTotal(r.buffer(), n, SOME), f, MEMORY_PRESSURE, problems, "some total");
        }
        n = f.read(IO_PRESSURE, r, problems);
        if (n >= 0) {
            raw.ioSomeAvg10 = checked(ByteText.psiAvg10(r.buffer(), n, SOME), f, IO_PRESSURE, problems);
            raw.ioFullAvg10 = checked(ByteText.psiAvg10(r.buffer(), n, FULL), f, IO_PRESSURE, problems);
        }
        n = f.read(IO_STAT, r, problems);
        if (n >= 0 && !io.parseV2(r.buffer(), n, raw)) {
            problems.garbage(f.path(IO_STAT), "expected lines 'MAJ:MIN rbytes=N wbytes=N rios=N wios=N ...'");
        }
        raw.pids = single(f, PIDS_CURRENT, r, problems);
        return !f.vanished();
    }

    /** A one-number file ({@code memory.current}, {@code memory.max}, ...). */
    static long single(FileSet f, int index, SmallFileReader r, FileProblems problems) {
        int n = f.read(index, r, problems);
        if (n < 0) {
            return ABSENT;
        }
        long v = ByteText.wholeNumber(r.buffer(), n);
        if (v == GARBAGE) {
            problems.garbage(f.path(index), "expected one non-negative integer or 'max'");
            return ABSENT;
        }
        return v;
    }

    static long checked(long v, FileSet f, int index, FileProblems problems, String key) {
        if (v == GARBAGE) {
            problems.garbage(f.path(index), "the value of '" + key + "' is not a non-negative integer");
            return ABSENT;
        }
        return v;
    }

    static double checked(double v, FileSet f, int index, FileProblems problems) {
        if (v == GARBAGE_DOUBLE) {
            problems.garbage(f.path(index), "expected PSI lines 'some avg10=N.NN avg60=... total=N'");
            return Double.NaN;
        }
        return v;
    }

    @Override
    public String toString() {
        return "cgroup v2 at " + root;
    }
}
