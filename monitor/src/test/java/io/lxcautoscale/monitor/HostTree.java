package io.lxcautoscale.monitor;

import io.lxcautoscale.monitor.collect.CollectorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Proxmox host's files generated in a temporary folder with the kernel's real formats
 * ({@code ../shared/reference/proxmox.md} §2, §3, §5, §6): cgroup v2 or v1 trees, container configs,
 * veth counters, {@code /proc} with init processes whose {@code root} is a real directory.
 */
public final class HostTree {
    public final Path base;
    public final Path cgroup;
    public final Path pve;
    public final Path proc;
    public final Path net;
    public final boolean v2;

    /** One container's counters; {@link #write} renders them into the tree. */
    public static final class Ct {
        public final int vmid;
        public long usageUsec = 5_000_000;
        public long nrPeriods = 100;
        public long nrThrottled = 3;
        public long throttledUsec = 20_000;
        public long memoryCurrent = 300L << 20;
        public long memoryFile = 100L << 20;
        public String memoryMax = Long.toString(2048L << 20);
        public String memoryHigh = Long.toString(2048L * 1024 * 1016);
        public long swapCurrent = 10L << 20;
        public String swapMax = Long.toString(512L << 20);
        public long oomKill = 0;
        /** v1 only: kills counted in lxc/<vmid>/ns, where the kernel counts a kill of the container's processes. */
        public long nsOomKill = 0;
        public long eventsHigh = 5;
        public long readBytes = 1_048_576;
        public long writeBytes = 2_097_152;
        public long readOps = 100;
        public long writeOps = 200;
        public long pids = 27;
        public long hostRx = 1000;
        public long hostTx = 5000;
        public int initPid;

        Ct(int vmid) {
            this.vmid = vmid;
            this.initPid = 10_000 + vmid;
        }
    }

    public HostTree(Path base, boolean v2) {
        this.base = base;
        this.v2 = v2;
        this.cgroup = base.resolve("cgroup");
        this.pve = base.resolve("pve/lxc");
        this.proc = base.resolve("proc");
        this.net = base.resolve("net");
        write(proc.resolve("stat"), "cpu  100 0 100 1000 0 0 0 0 0 0\ncpu0 50 0 50 500 0 0 0 0 0 0\n"
                + "cpu1 50 0 50 500 0 0 0 0 0 0\ncpu2 1 0 1 1 0 0 0 0 0 0\ncpu3 1 0 1 1 0 0 0 0 0 0\n"
                + "intr 12345 0 0\nctxt 999\nbtime 1700000000\nprocesses 1234\nprocs_running 1\n");
        write(proc.resolve("meminfo"), "MemTotal:       16384000 kB\nMemFree:        12000000 kB\nMemAvailable:   14000000 kB\n");
        write(proc.resolve("sys/kernel/hostname"), "pve-test\n");
        write(proc.resolve("partitions"), "major minor  #blocks  name\n\n   8        0  104857600 sda\n   8        1  104856576 sda1\n 253        0   8388608 dm-0\n   7        0    1048576 loop0\n");
        mkdirs(pve);
        mkdirs(net);
        if (v2) {
            write(cgroup.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        } else {
            for (String c : List.of("cpu", "cpuacct", "memory", "blkio", "pids")) {
                mkdirs(cgroup.resolve(c));
            }
        }
    }

    public CollectorSettings settings() {
        return new CollectorSettings(cgroup, pve, proc, net, true, true, true, List.of());
    }

    public Ct add(int vmid, String conf) {
        Ct ct = new Ct(vmid);
        write(pve.resolve(vmid + ".conf"), conf);
        write(ct);
        return ct;
    }

    /** Renders {@code ct}'s counters into every file the kernel would show. */
    public void write(Ct ct) {
        String id = Integer.toString(ct.vmid);
        if (v2) {
            Path d = cgroup.resolve("lxc").resolve(id);
            write(d.resolve("cpu.stat"), "usage_usec " + ct.usageUsec + "\nuser_usec " + ct.usageUsec * 3 / 4
                    + "\nsystem_usec " + ct.usageUsec / 4 + "\nnr_periods " + ct.nrPeriods + "\nnr_throttled " + ct.nrThrottled
                    + "\nthrottled_usec " + ct.throttledUsec + "\nnr_bursts 0\nburst_usec 0\n");
            write(d.resolve("memory.current"), ct.memoryCurrent + "\n");
            write(d.resolve("memory.stat"), "anon " + (ct.memoryCurrent - ct.memoryFile) + "\nfile " + ct.memoryFile
                    + "\nkernel 1234\nkernel_stack 16384\nshmem 0\nsock 0\nactive_file 1000\ninactive_file 2000\npgfault 99\n");
            write(d.resolve("memory.max"), ct.memoryMax + "\n");
            write(d.resolve("memory.high"), ct.memoryHigh + "\n");
            write(d.resolve("memory.swap.current"), ct.swapCurrent + "\n");
            write(d.resolve("memory.swap.max"), ct.swapMax + "\n");
            write(d.resolve("memory.events"), "low 0\nhigh " + ct.eventsHigh + "\nmax 1\noom 0\noom_kill " + ct.oomKill + "\noom_group_kill 0\n");
            write(d.resolve("cpu.pressure"), "some avg10=1.50 avg60=0.80 avg300=0.20 total=123456\nfull avg10=0.25 avg60=0.10 avg300=0.00 total=2345\n");
            write(d.resolve("memory.pressure"), "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
            write(d.resolve("io.pressure"), "some avg10=12.34 avg60=1.00 avg300=0.50 total=999\nfull avg10=10.00 avg60=0.90 avg300=0.40 total=888\n");
            write(d.resolve("io.stat"), "8:0 rbytes=" + ct.readBytes + " wbytes=" + ct.writeBytes + " rios=" + ct.readOps + " wios="
                    + ct.writeOps + " dbytes=0 dios=0\n253:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
            write(d.resolve("pids.current"), ct.pids + "\n");
            write(d.resolve("cpu.max"), "max 100000\n");
            write(d.resolve("ns/init.scope/cgroup.procs"), ct.initPid + "\n" + (ct.initPid + 5) + "\n");
            write(d.resolve("ns/system.slice/cgroup.procs"), (ct.initPid + 7) + "\n");
            write(d.resolve("ns/cgroup.procs"), "");
        } else {
            write(cgroup.resolve("cpuacct/lxc/" + id + "/cpuacct.usage"), ct.usageUsec * 1000 + "\n");
            write(cgroup.resolve("cpuacct/lxc/" + id + "/cpuacct.stat"), "user 100\nsystem 50\n");
            write(cgroup.resolve("cpuacct/lxc/" + id + "/ns/cgroup.procs"), ct.initPid + "\n");
            write(cgroup.resolve("cpu/lxc/" + id + "/cpu.stat"), "nr_periods " + ct.nrPeriods + "\nnr_throttled " + ct.nrThrottled
                    + "\nthrottled_time " + ct.throttledUsec * 1000 + "\n");
            Path m = cgroup.resolve("memory/lxc/" + id);
            write(m.resolve("memory.usage_in_bytes"), ct.memoryCurrent + "\n");
            write(m.resolve("memory.stat"), "cache " + ct.memoryFile + "\nrss 1000\ntotal_cache " + ct.memoryFile + "\ntotal_rss 1000\n");
            write(m.resolve("memory.limit_in_bytes"), ct.memoryMax.equals("max") ? "9223372036854771712\n" : ct.memoryMax + "\n");
            long memsw = ct.memoryCurrent + ct.swapCurrent;
            write(m.resolve("memory.memsw.usage_in_bytes"), memsw + "\n");
            write(m.resolve("memory.memsw.limit_in_bytes"), ct.swapMax.equals("max") || ct.memoryMax.equals("max")
                    ? "9223372036854771712\n" : (Long.parseLong(ct.memoryMax) + Long.parseLong(ct.swapMax)) + "\n");
            write(m.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill " + ct.oomKill + "\n");
            write(m.resolve("ns/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill " + ct.nsOomKill + "\n");
            Path b = cgroup.resolve("blkio/lxc/" + id);
            write(b.resolve("blkio.throttle.io_service_bytes_recursive"), "8:0 Read " + ct.readBytes + "\n8:0 Write " + ct.writeBytes
                    + "\n8:0 Sync 0\n8:0 Async 0\n8:0 Discard 0\n8:0 Total " + (ct.readBytes + ct.writeBytes) + "\nTotal "
                    + (ct.readBytes + ct.writeBytes) + "\n");
            write(b.resolve("blkio.throttle.io_serviced_recursive"), "8:0 Read " + ct.readOps + "\n8:0 Write " + ct.writeOps
                    + "\n8:0 Sync 0\n8:0 Async 0\n8:0 Discard 0\n8:0 Total " + (ct.readOps + ct.writeOps) + "\nTotal "
                    + (ct.readOps + ct.writeOps) + "\n");
            write(cgroup.resolve("pids/lxc/" + id + "/pids.current"), ct.pids + "\n");
        }
        write(net.resolve("veth" + id + "i0/statistics/rx_bytes"), ct.hostRx + "\n");
        write(net.resolve("veth" + id + "i0/statistics/tx_bytes"), ct.hostTx + "\n");
        mkdirs(proc.resolve(ct.initPid + "/root"));
    }

    /** Removes a container's cgroup directories (it stopped). */
    public void stop(int vmid) {
        if (v2) {
            deleteTree(cgroup.resolve("lxc/" + vmid));
        } else {
            for (String c : List.of("cpu", "cpuacct", "memory", "blkio", "pids")) {
                deleteTree(cgroup.resolve(c + "/lxc/" + vmid));
            }
        }
    }

    public Path cgroupDir(int vmid) {
        return v2 ? cgroup.resolve("lxc/" + vmid) : cgroup.resolve("cpuacct/lxc/" + vmid);
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
