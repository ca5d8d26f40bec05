package io.lxcautoscale.bench.monitor;

import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import io.lxcautoscale.monitor.output.ExportSink;
import io.lxcautoscale.monitor.output.SnapshotLine;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The monitor's cycle on the real kernel's cgroup v1 files (Proxmox 6's layout), next to the two floors measured
 * in the same run over the same files: open + read + close of each file, and one positional read at offset 0 of
 * each file kept open. As root it creates N empty containers' cgroups {@code <controller>/lxc/<vmid>} and
 * {@code <controller>/lxc/<vmid>/ns} under the controllers the monitor reads (cpuacct, cpu, memory, blkio, pids),
 * and removes them afterwards, on failure and on Ctrl-C too. Configs go to a temporary directory on
 * {@code /dev/shm}; there are no veth interfaces (an empty {@code sys_class_net}).
 *
 * <pre>
 * taskset -c 0 java -Xms16m -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -cp … \
 *     io.lxcautoscale.bench.monitor.RealCgroupCycleBench [containers] [rounds] [--monitor-only]
 * </pre>
 *
 * CPU time is the thread's (ThreadMXBean: user + sys of the collecting thread) and the process's (adds JIT and GC
 * threads); medians over the measured rounds, after warm-up rounds, the three measurements interleaved per round.
 */
public final class RealCgroupCycleBench {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final String[] CONTROLLERS = {"cpuacct", "cpu", "memory", "blkio", "pids"};
    /** Far above Proxmox's usual VMIDs and the tests' 9999xx. */
    private static final int FIRST_VMID = 700_000;
    /** The files the monitor reads per container each cycle on v1 (CgroupV1), as controller/file. */
    private static final String[] FILES = {
        "cpuacct/cpuacct.usage", "cpu/cpu.stat", "memory/memory.usage_in_bytes", "memory/memory.stat",
        "memory/memory.limit_in_bytes", "memory/memory.memsw.usage_in_bytes", "memory/memory.memsw.limit_in_bytes",
        "memory/memory.oom_control", "blkio/blkio.throttle.io_service_bytes_recursive",
        "blkio/blkio.throttle.io_serviced_recursive", "pids/pids.current", "memory/ns/memory.oom_control",
        "memory/memory.kmem.usage_in_bytes",
    };

    /** Skips the floors, e.g. to count the monitor's system calls alone under {@code strace -c -f}. */
    private static boolean monitorOnly;

    private RealCgroupCycleBench() {
    }

    public static void main(String[] args) throws Exception {
        int containers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        monitorOnly = args.length > 2 && args[2].equals("--monitor-only");
        if (Files.exists(CGROUP.resolve("cgroup.controllers")) || !Files.exists(CGROUP.resolve("cpuacct/cpuacct.usage"))) {
            System.err.println("needs the cgroup v1 controllers under " + CGROUP + " (a pure v2 host has none)");
            System.exit(2);
        }
        List<Path> created = new ArrayList<>();
        Thread cleanup = new Thread(() -> remove(created));
        Runtime.getRuntime().addShutdownHook(cleanup);
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "lxc-monitor-realbench-");
        try {
            long t0 = System.nanoTime();
            List<String> files = create(containers, created);
            System.out.printf("created %d containers' cgroups (%d directories) in %.1f s; %d files read per cycle%n",
                    containers, created.size(), (System.nanoTime() - t0) / 1e9, files.size());
            run(base, containers, rounds, files);
        } finally {
            remove(created);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            deleteTree(base);
        }
    }

    /** Creates the cgroups (recording each, so that removal after a failure is complete); returns the files a cycle reads. */
    private static List<String> create(int containers, List<Path> created) throws IOException {
        for (String controller : CONTROLLERS) {
            Path lxc = CGROUP.resolve(controller).resolve("lxc");
            if (!Files.isDirectory(lxc)) {
                Files.createDirectory(lxc);
                synchronized (created) {
                    created.add(lxc);
                }
            }
        }
        List<String> files = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            String vmid = Integer.toString(FIRST_VMID + i);
            for (String controller : CONTROLLERS) {
                Path ct = CGROUP.resolve(controller).resolve("lxc").resolve(vmid);
                for (Path d : List.of(ct, ct.resolve("ns"))) {
                    Files.createDirectory(d);
                    synchronized (created) {
                        created.add(d);
                    }
                }
            }
            for (String f : FILES) {
                int slash = f.indexOf('/');
                Path file = CGROUP.resolve(f.substring(0, slash)).resolve("lxc").resolve(vmid).resolve(f.substring(slash + 1));
                if (Files.exists(file)) {
                    files.add(file.toString());
                }
            }
        }
        return files;
    }

    private static void remove(List<Path> created) {
        synchronized (created) {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(created.get(i));
                } catch (IOException e) {
                    System.err.println("could not remove " + created.get(i) + ": " + e);
                }
            }
            created.clear();
        }
    }

    private static void run(Path base, int containers, int rounds, List<String> paths) throws Exception {
        Path pve = Files.createDirectories(base.resolve("pve"));
        for (int i = 0; i < containers; i++) {
            int vmid = FIRST_VMID + i;
            Files.writeString(pve.resolve(vmid + ".conf"), "arch: amd64\ncores: " + (1 + i % 4) + "\nhostname: ct" + vmid
                    + "\nmemory: 2048\nostype: debian\nrootfs: local-lvm:vm-" + vmid + "-disk-0,size=8G\nswap: 512\n");
        }
        CollectorSettings settings = new CollectorSettings(CGROUP, pve, Path.of("/proc"),
                Files.createDirectories(base.resolve("net")), true, true, true, List.of());
        List<java.io.File> floorFiles = paths.stream().map(java.io.File::new).toList();
        byte[] buffer = new byte[8192];
        ByteBuffer direct = ByteBuffer.allocateDirect(8192);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int warmup = 15;
        // The floors' kept-open files and the monitor's cannot all be open at once under a 20,000-descriptor limit
        // (26,000 for 1,000 containers): floors, then the monitor, then the floors again, in one process.
        double[][] floorsBefore = floors(floorFiles, paths, buffer, direct, threads, warmup, rounds);
        double[] collect = new double[rounds];
        double[] append = new double[rounds];
        double[] cycleProcess = new double[rounds];
        double[] collectWall = new double[rounds];
        long openFds;
        try (Collector collector = new Collector(settings, Clock.systemUTC());
                ExportSink sink = new ExportSink(base.resolve("lxc_metrics.json"), 256L << 20, 7, Duration.ofDays(7))) {
            for (int i = 0; i < warmup + rounds; i++) {
                long processBefore = os.getProcessCpuTime();
                long c = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                SnapshotLine snapshot = collector.collectLine();
                long wallEnd = System.nanoTime();
                long d = threads.getCurrentThreadCpuTime();
                if (!sink.write(snapshot)) {
                    throw new IllegalStateException("metrics write failed");
                }
                long e = threads.getCurrentThreadCpuTime();
                long processAfter = os.getProcessCpuTime();
                if (snapshot.collectedContainers() < containers) {
                    throw new IllegalStateException("collected " + snapshot.collectedContainers() + " of " + containers);
                }
                if (i >= warmup) {
                    int r = i - warmup;
                    collect[r] = (d - c) / 1e6;
                    append[r] = (e - d) / 1e6;
                    cycleProcess[r] = (processAfter - processBefore) / 1e6;
                    collectWall[r] = (wallEnd - wall) / 1e6;
                }
            }
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                openFds = fds.count();
            }
        }
        double[][] floorsAfter = floors(floorFiles, paths, buffer, direct, threads, warmup, rounds);
        double[] openFloor = concat(floorsBefore[0], floorsAfter[0]);
        double[] preadFloor = concat(floorsBefore[1], floorsAfter[1]);
        double[] cycle = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            cycle[r] = collect[r] + append[r];
        }
        System.out.printf("thread CPU per cycle, ms (median / p10 / p90 over %d rounds, %d warm-up; floors: %d rounds before"
                + " and %d after the monitor's):%n", rounds, warmup, rounds, rounds);
        System.out.printf("  pread floor medians before / after the monitor's rounds: %.1f / %.1f ms%n",
                median(floorsBefore[1]), median(floorsAfter[1]));
        row("floor: open+read+close of the same files", openFloor);
        row("floor: pread at offset 0, files kept open", preadFloor);
        row("monitor collect", collect);
        row("monitor append (serialise + write the line)", append);
        row("monitor cycle = collect + append", cycle);
        row("monitor cycle, process CPU (all threads)", cycleProcess);
        row("monitor collect, wall", collectWall);
        System.out.printf("cycle / pread floor %.2f x; cycle / open+read floor %.2f x; collect / pread floor %.2f x%n",
                median(cycle) / median(preadFloor), median(cycle) / median(openFloor), median(collect) / median(preadFloor));
        System.out.printf("descriptors open in the process during the monitor's rounds: %d; %d files per cycle%n",
                openFds, paths.size());
        System.out.printf("available processors %d; load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                os.getSystemLoadAverage());
    }

    /** Floors over {@code rounds} rounds after {@code warmup}: [0] open+read+close, [1] pread of files kept open (thread CPU, ms). */
    private static double[][] floors(List<java.io.File> files, List<String> paths, byte[] buffer, ByteBuffer direct,
            ThreadMXBean threads, int warmup, int rounds) throws IOException {
        double[][] result = new double[2][rounds];
        if (monitorOnly) {
            return result;
        }
        List<FileChannel> channels = new ArrayList<>();
        try {
            for (String p : paths) {
                channels.add(FileChannel.open(Path.of(p), StandardOpenOption.READ));
            }
            for (int i = 0; i < warmup + rounds; i++) {
                long a = threads.getCurrentThreadCpuTime();
                openReadClose(files, buffer);
                long b = threads.getCurrentThreadCpuTime();
                pread(channels, direct);
                long c = threads.getCurrentThreadCpuTime();
                if (i >= warmup) {
                    result[0][i - warmup] = (b - a) / 1e6;
                    result[1][i - warmup] = (c - b) / 1e6;
                }
            }
        } finally {
            for (FileChannel ch : channels) {
                ch.close();
            }
        }
        return result;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void openReadClose(List<java.io.File> files, byte[] buffer) throws IOException {
        for (java.io.File file : files) {
            try (FileInputStream in = new FileInputStream(file)) {
                while (in.read(buffer, 0, buffer.length) > 0) {
                    // drain
                }
            }
        }
    }

    private static void pread(List<FileChannel> channels, ByteBuffer buffer) throws IOException {
        for (FileChannel ch : channels) {
            buffer.clear();
            ch.read(buffer, 0);
        }
    }

    private static void row(String what, double[] values) {
        System.out.printf("  %-48s %7.1f %7.1f %7.1f%n", what, median(values), pct(values, 10), pct(values, 90));
    }

    private static double median(double[] values) {
        return pct(values, 50);
    }

    private static double pct(double[] values, int percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.round((sorted.length - 1) * percentile / 100.0)];
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
