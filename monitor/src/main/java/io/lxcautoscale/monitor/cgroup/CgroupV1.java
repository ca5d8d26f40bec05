package io.lxcautoscale.monitor.cgroup;

import static io.lxcautoscale.monitor.read.ByteText.ABSENT;
import static io.lxcautoscale.monitor.read.ByteText.UNLIMITED;
import static io.lxcautoscale.monitor.read.ByteText.key;

import io.lxcautoscale.monitor.collect.RawCounters;
import io.lxcautoscale.monitor.read.ByteText;
import io.lxcautoscale.monitor.read.SmallFileReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-controller cgroup v1 trees of Proxmox 6 hosts: {@code <root>/<controller>/lxc/<vmid>/}.
 * Converted to the v2 meanings where they exist (CPU µs, memory without page cache, swap = memsw − mem,
 * limits in bytes); PSI and most memory events do not exist on v1 and stay absent.
 */
public final class CgroupV1 implements CgroupLayout {
    /** The kernel reports "no limit" as PAGE_COUNTER_MAX × page size (about 2^63); anything this large is no limit. */
    private static final long NO_LIMIT_THRESHOLD = 1L << 60;

    private static final int CPUACCT_USAGE = 0;
    private static final int CPU_STAT = 1;
    private static final int MEMORY_USAGE = 2;
    private static final int MEMORY_STAT = 3;
    private static final int MEMORY_LIMIT = 4;
    private static final int MEMSW_USAGE = 5;
    private static final int MEMSW_LIMIT = 6;
    private static final int OOM_CONTROL = 7;
    private static final int BLKIO_BYTES = 8;
    private static final int BLKIO_OPS = 9;
    private static final int PIDS_CURRENT = 10;
    private static final int OOM_CONTROL_NS = 11;

    private static final byte[] NR_PERIODS = key("nr_periods");
    private static final byte[] NR_THROTTLED = key("nr_throttled");
    private static final byte[] THROTTLED_TIME = key("throttled_time");
    private static final byte[] TOTAL_CACHE = key("total_cache");
    private static final byte[] CACHE = key("cache");
    private static final byte[] OOM_KILL = key("oom_kill");

    private final Path root;
    private final Path containers;
    /** {@code cpuacct}, or {@code cpu,cpuacct} on hosts that co-mount them without the usual symlinks. */
    private final String cpuacctController;
    private final IoStat io;
    private final boolean readSwap;

    CgroupV1(Path root, DeviceFilter devices, boolean readSwap) {
        this.root = root;
        // The controller whose lxc/ directory lists the running containers: cpuacct is what CPU % needs.
        Path chosen = root.resolve("cpuacct");
        for (String controller : new String[] {"cpuacct", "cpu,cpuacct", "memory", "pids"}) {
            if (Files.isDirectory(root.resolve(controller))) {
                chosen = root.resolve(controller);
                break;
            }
        }
        this.containers = chosen.resolve("lxc");
        this.cpuacctController = !Files.isDirectory(root.resolve("cpuacct")) && Files.isDirectory(root.resolve("cpu,cpuacct"))
                ? "cpu,cpuacct" : "cpuacct";
        this.io = new IoStat(devices);
        this.readSwap = readSwap;
    }

    @Override
    public int version() {
        return 1;
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
        String id = Integer.toString(vmid);
        String cpuacct = dir(cpuacctController, id);
        String memory = dir("memory", id);
        String blkio = dir("blkio", id);
        String[] paths = {
            cpuacct + "/cpuacct.usage",
            dir(cpuacctController.equals("cpuacct") ? "cpu" : cpuacctController, id) + "/cpu.stat",
            memory + "/memory.usage_in_bytes",
            memory + "/memory.stat",
            memory + "/memory.limit_in_bytes",
            memory + "/memory.memsw.usage_in_bytes",
            memory + "/memory.memsw.limit_in_bytes",
            memory + "/memory.oom_control",
            blkio + "/blkio.throttle.io_service_bytes_recursive",
            blkio + "/blkio.throttle.io_serviced_recursive",
            dir("pids", id) + "/pids.current",
            memory + "/ns/memory.oom_control",
        };
        return new FileSet(containers.resolve(id).toString(), paths);
    }

    private String dir(String controller, String id) {
        return root.resolve(controller).resolve("lxc").resolve(id).toString();
    }

    @Override
    public boolean read(FileSet f, RawCounters raw, SmallFileReader r, FileProblems problems) {
        f.startCycle();
        long usageNs = CgroupV2.single(f, CPUACCT_USAGE, r, problems);
        raw.cpuUsageUsec = usageNs == ABSENT || usageNs == UNLIMITED ? ABSENT : usageNs / 1000;
        int n = f.read(CPU_STAT, r, problems);
        if (n >= 0) {
            byte[] b = r.buffer();
            raw.nrPeriods = CgroupV2.checked(ByteText.keyed(b, n, NR_PERIODS), f, CPU_STAT, problems, "nr_periods");
            raw.nrThrottled = CgroupV2.checked(ByteText.keyed(b, n, NR_THROTTLED), f, CPU_STAT, problems, "nr_throttled");
            long ns = CgroupV2.checked(ByteText.keyed(b, n, THROTTLED_TIME), f, CPU_STAT, problems, "throttled_time");
            raw.throttledUsec = ns == ABSENT ? ABSENT : ns / 1000;
        }
        long usage = CgroupV2.single(f, MEMORY_USAGE, r, problems);
        raw.memoryCurrentBytes = usage;
        n = f.read(MEMORY_STAT, r, problems);
        if (n >= 0) {
            long cache = ByteText.keyed(r.buffer(), n, TOTAL_CACHE);
            if (cache == ABSENT) {
                cache = ByteText.keyed(r.buffer(), n, CACHE);
            }
            raw.memoryFileBytes = CgroupV2.checked(cache, f, MEMORY_STAT, problems, "total_cache");
        }
        long limit = noLimit(CgroupV2.single(f, MEMORY_LIMIT, r, problems));
        raw.memoryMaxBytes = limit;
        if (readSwap) {
            long memsw = CgroupV2.single(f, MEMSW_USAGE, r, problems);
            if (memsw != ABSENT && usage != ABSENT) {
                raw.swapCurrentBytes = Math.max(0, memsw - usage);
            }
            long memswLimit = noLimit(CgroupV2.single(f, MEMSW_LIMIT, r, problems));
            if (memswLimit == UNLIMITED) {
                raw.swapMaxBytes = UNLIMITED;
            } else if (memswLimit != ABSENT && limit != ABSENT && limit != UNLIMITED) {
                raw.swapMaxBytes = Math.max(0, memswLimit - limit);
            }
        }
        // v1 counts an OOM kill only in the victim's own cgroup, not in its ancestors: with Proxmox's
        // layout the container's processes live in lxc/<vmid>/ns, so its kills are counted there.
        long oomKills = oomKills(f, OOM_CONTROL, r, problems);
        long nsOomKills = oomKills(f, OOM_CONTROL_NS, r, problems);
        raw.eventsOomKill = oomKills == ABSENT ? nsOomKills : nsOomKills == ABSENT ? oomKills : oomKills + nsOomKills;
        n = f.read(BLKIO_BYTES, r, problems);
        if (n >= 0) {
            long[] rw = io.parseV1(r.buffer(), n);
            if (rw == null) {
                problems.garbage(f.path(BLKIO_BYTES), "expected lines 'MAJ:MIN Read|Write|... N'");
            } else {
                raw.ioReadBytes = rw[0];
                raw.ioWriteBytes = rw[1];
            }
        }
        n = f.read(BLKIO_OPS, r, problems);
        if (n >= 0) {
            long[] rw = io.parseV1(r.buffer(), n);
            if (rw == null) {
                problems.garbage(f.path(BLKIO_OPS), "expected lines 'MAJ:MIN Read|Write|... N'");
            } else {
                raw.ioReadOps = rw[0];
                raw.ioWriteOps = rw[1];
            }
        }
        raw.pids = CgroupV2.single(f, PIDS_CURRENT, r, problems);
        return !f.vanished();
    }

    /** The {@code oom_kill} line of one {@code memory.oom_control}; absent when the file or the line is (older kernels). */
    private static long oomKills(FileSet f, int index, SmallFileReader r, FileProblems problems) {
        int n = f.read(index, r, problems);
        return n < 0 ? ABSENT : CgroupV2.checked(ByteText.keyed(r.buffer(), n, OOM_KILL), f, index, problems, "oom_kill");
    }

    private static long noLimit(long v) {
        return v != ABSENT && v >= NO_LIMIT_THRESHOLD ? UNLIMITED : v;
    }

    @Override
    public String toString() {
        return "cgroup v1 at " + root + " (containers listed from " + containers + ")";
    }
}
