package io.lxcautoscale.bench.monitor;

import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import io.lxcautoscale.monitor.output.ExportSink;
import io.lxcautoscale.monitor.output.SnapshotLine;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cost of one monitor cycle over N containers (default 1,000) in a cgroup v2 tree generated on tmpfs,
 * against the floor of just opening and reading the same files in a tight loop, plus the process's RSS
 * and the number of child processes seen. Plain main; run it pinned to one core with the JVM settings of
 * {@code systemd/lxc_monitor.service}:
 *
 * <pre>
 * MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 taskset -c 0 \
 *     java -Xms16m -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -cp ... \
 *     io.lxcautoscale.bench.monitor.CycleBench [containers] [rounds] [--keep]
 * </pre>
 *
 * Run it under {@code strace -f -e trace=execve,fork,vfork,clone,clone3} to prove that no process is
 * started (only thread clones, with CLONE_THREAD, may appear).
 */
public final class CycleBench {
    private static final String[] CGROUP_FILES = {
        "cpu.stat", "memory.current", "memory.stat", "memory.max", "memory.high", "memory.swap.current",
        "memory.swap.max", "memory.events", "cpu.pressure", "memory.pressure", "io.pressure", "io.stat", "pids.current",
    };

    private CycleBench() {
    }

    public static void main(String[] args) throws Exception {
        int containers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "lxc-monitor-bench-");
        if (args.length > 2 && args[2].equals("--keep")) {
            // Leaves the generated tree in place, e.g. to point lxc_monitor --once at it.
            generate(base, containers);
            System.out.println(base);
            return;
        }
        try {
            run(base, containers, rounds);
        } finally {
            deleteTree(base);
        }
    }

    private static void run(Path base, int containers, int rounds) throws Exception {
        long t0 = System.nanoTime();
        List<java.io.File> floorFiles = generate(base, containers).stream().map(java.io.File::new).toList();
        System.out.printf("generated %d containers (%d files read per cycle) under %s in %.1f s%n",
                containers, floorFiles.size(), base, (System.nanoTime() - t0) / 1e9);

        CollectorSettings settings = new CollectorSettings(base.resolve("cgroup"), base.resolve("pve/lxc"),
                base.resolve("proc"), base.resolve("net"), true, true, true, List.of());
        Collector collector = new Collector(settings, Clock.systemUTC());
        Path metrics = base.resolve("lxc_metrics.json");
        long childrenBefore = ProcessHandle.current().descendants().count();
        long maxChildren = 0;
        byte[] buffer = new byte[8192];
        double[] cycle = new double[rounds];
        double[] collectOnly = new double[rounds];
        double[] floor = new double[rounds];
        double[] cycleCpu = new double[rounds];
        double[] floorCpu = new double[rounds];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int warmup = 20;
        try (ExportSink sink = new ExportSink(metrics, 64L << 20, 7, Duration.ofDays(7))) {
            for (int i = 0; i < warmup; i++) {
                sink.write(collector.collectLine());
                readAll(floorFiles, buffer);
            }
            // Interleaved so that load from other processes hits both measurements alike.
            for (int i = 0; i < rounds; i++) {
                long cpuA = threads.getCurrentThreadCpuTime();
                long a = System.nanoTime();
                readAll(floorFiles, buffer);
                long b = System.nanoTime();
                long cpuB = threads.getCurrentThreadCpuTime();
                SnapshotLine snapshot = collector.collectLine();
                long c = System.nanoTime();
                if (!sink.write(snapshot)) {
                    throw new IllegalStateException("metrics write failed");
                }
                long d = System.nanoTime();
                long cpuD = threads.getCurrentThreadCpuTime();
                floorCpu[i] = (cpuB - cpuA) / 1e6;
                cycleCpu[i] = (cpuD - cpuB) / 1e6;
                floor[i] = (b - a) / 1e6;
                collectOnly[i] = (c - b) / 1e6;
                cycle[i] = (d - b) / 1e6;
                maxChildren = Math.max(maxChildren, ProcessHandle.current().descendants().count());
                if (snapshot.collectedContainers() != containers) {
                    throw new IllegalStateException("collected " + snapshot.collectedContainers() + " of " + containers);
                }
            }
        }
        System.gc();
        double rssMb = rssMb();
        long lineBytes = collector.collectLine().length();
        System.out.printf("cycle (collect + append), ms:  median %.1f  p10 %.1f  p90 %.1f  min %.1f%n",
                pct(cycle, 50), pct(cycle, 10), pct(cycle, 90), pct(cycle, 0));
        System.out.printf("collect only, ms:              median %.1f  p10 %.1f  p90 %.1f  min %.1f%n",
                pct(collectOnly, 50), pct(collectOnly, 10), pct(collectOnly, 90), pct(collectOnly, 0));
        System.out.printf("floor (open+read same files):  median %.1f  p10 %.1f  p90 %.1f  min %.1f%n",
                pct(floor, 50), pct(floor, 10), pct(floor, 90), pct(floor, 0));
        System.out.printf("CPU time (user+sys of the thread), ms: cycle median %.1f min %.1f; floor median %.1f min %.1f; ratio %.2f x%n",
                pct(cycleCpu, 50), pct(cycleCpu, 0), pct(floorCpu, 50), pct(floorCpu, 0), pct(cycleCpu, 50) / pct(floorCpu, 50));
        System.out.printf("cycle / floor (medians): %.2f x   (min/min %.2f x)%n",
                pct(cycle, 50) / pct(floor, 50), pct(cycle, 0) / pct(floor, 0));
        System.out.printf("snapshot line: %d bytes; RSS after %d cycles: %.1f MiB; heap used %.1f MiB (max %.0f MiB)%n",
                lineBytes, warmup + rounds, rssMb,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.printf("child processes: %d before, at most %d during the cycles%n", childrenBefore, maxChildren);
        System.out.printf("available processors seen by the JVM: %d; load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void readAll(List<java.io.File> files, byte[] buffer) throws IOException {
        for (java.io.File file : files) {
            try (FileInputStream in = new FileInputStream(file)) {
                while (in.read(buffer, 0, buffer.length) > 0) {
                    // drain
                }
            }
        }
    }

    /** Writes the tree; returns the files a cycle reads (cgroup files, init cgroup.procs, veth counters). */
    private static List<String> generate(Path base, int containers) throws IOException {
        List<String> read = new ArrayList<>();
        Path cgroup = base.resolve("cgroup");
        write(cgroup.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Path proc = base.resolve("proc");
        StringBuilder stat = new StringBuilder("cpu  1 2 3 4 5 6 7 8 0 0\n");
        for (int c = 0; c < 64; c++) {
            stat.append("cpu").append(c).append(" 1 2 3 4 5 6 7 8 0 0\n");
        }
        write(proc.resolve("stat"), stat.append("intr 1 2 3\nctxt 4\nbtime 5\n").toString());
        write(proc.resolve("meminfo"), "MemTotal:       263921664 kB\nMemFree:        200000000 kB\n");
        write(proc.resolve("sys/kernel/hostname"), "bench\n");
        for (int i = 0; i < containers; i++) {
            int vmid = 100 + i;
            long usage = 1_000_000L * (i + 1);
            Path d = cgroup.resolve("lxc/" + vmid);
            String[] content = {
                "usage_usec " + usage + "\nuser_usec " + usage / 2 + "\nsystem_usec " + usage / 2
                        + "\nnr_periods 1000\nnr_throttled 10\nthrottled_usec 12345\nnr_bursts 0\nburst_usec 0\n",
                (300L << 20) + i + "\n",
                memoryStat(i),
                (2048L << 20) + "\n",
                (2048L * 1024 * 1016) + "\n",
                (10L << 20) + "\n",
                (512L << 20) + "\n",
                "low 0\nhigh 5\nmax 1\noom 0\noom_kill 0\noom_group_kill 0\n",
                "some avg10=1.50 avg60=0.80 avg300=0.20 total=123456\nfull avg10=0.25 avg60=0.10 avg300=0.00 total=2345\n",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
                "some avg10=2.00 avg60=1.00 avg300=0.50 total=999\nfull avg10=1.00 avg60=0.90 avg300=0.40 total=888\n",
                "8:0 rbytes=1048576 wbytes=2097152 rios=100 wios=200 dbytes=0 dios=0\n"
                        + "253:2 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n",
                "27\n",
            };
            for (int f = 0; f < CGROUP_FILES.length; f++) {
                Path file = d.resolve(CGROUP_FILES[f]);
                write(file, content[f]);
                read.add(file.toString());
            }
            int pid = 100_000 + i;
            Path procs = d.resolve("ns/init.scope/cgroup.procs");
            write(procs, pid + "\n" + (pid + 5000) + "\n");
            write(d.resolve("ns/cgroup.procs"), "");
            read.add(procs.toString());
            Files.createDirectories(proc.resolve(pid + "/root"));
            Path stats = base.resolve("net/veth" + vmid + "i0/statistics");
            write(stats.resolve("rx_bytes"), "123456789\n");
            write(stats.resolve("tx_bytes"), "987654321\n");
            read.add(stats.resolve("rx_bytes").toString());
            read.add(stats.resolve("tx_bytes").toString());
            write(base.resolve("pve/lxc/" + vmid + ".conf"), "arch: amd64\ncores: " + (1 + i % 4) + "\nhostname: ct" + vmid
                    + "\nmemory: 2048\nnet0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth\n"
                    + "ostype: debian\nrootfs: local-lvm:vm-" + vmid + "-disk-0,size=8G\nswap: 512\ntags: bench;web\n");
        }
        return read;
    }

    /** A memory.stat of realistic length (about 40 keys, as a 6.x kernel prints). */
    private static String memoryStat(int i) {
        String[] keys = {"anon", "file", "kernel", "kernel_stack", "pagetables", "sec_pagetables", "percpu", "sock", "vmalloc",
            "shmem", "zswap", "zswapped", "file_mapped", "file_dirty", "file_writeback", "swapcached", "anon_thp", "file_thp",
            "shmem_thp", "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "slab_reclaimable",
            "slab_unreclaimable", "slab", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
            "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
            "pgscan", "pgsteal", "pgfault", "pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "thp_fault_alloc"};
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < keys.length; k++) {
            sb.append(keys[k]).append(' ').append(k == 1 ? (100L << 20) : 4096L * (k + i)).append('\n');
        }
        return sb.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static double pct(double[] values, int percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.round((sorted.length - 1) * percentile / 100.0);
        return sorted[index];
    }

    private static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
