package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.monitor.collect.Collector;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectorTest {
    private static final String CONF_101 = "#web server\narch: amd64\ncores: 2\nhostname: web1\nmemory: 2048\n"
            + "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth\nrootfs: local-lvm:vm-101-disk-0,size=8G\n"
            + "swap: 512\ntags: prod;web\n\n[before-upgrade]\ncores: 1\nsnaptime: 1735689600\n";
    private static final long TEN_SECONDS = 10_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private Collector collector(HostTree tree) {
        return new Collector(HostTrees.settings(tree), Clock.systemUTC(), nanos::get);
    }

    private ObjectNode nextCycle(Collector c) {
        nanos.addAndGet(TEN_SECONDS);
        return c.collect();
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void firstSampleHasLevelsButNoRatesThenSecondHasRatesFromDeltas(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct ct = tree.add(101, CONF_101);
        Collector c = collector(tree);

        ObjectNode first = nextCycle(c);
        JsonNode s = first.get("101");
        assertThat(s).isNotNull();
        assertThat(s.has("cpu_usage_percent")).isFalse();
        assertThat(s.has("rates")).isFalse();
        assertThat(s.has("interval_seconds")).isFalse();
        assertThat(s.get("memory_usage_mb").asDouble()).isEqualTo(200.0);
        assertThat(s.get("swap_usage_mb").asDouble()).isEqualTo(10.0);
        assertThat(s.get("swap_total_mb").asDouble()).isEqualTo(512.0);
        assertThat(s.get("process_count").asLong()).isEqualTo(27);
        long extraRead = version == 2 ? 4096 : 0;
        long extraWrite = version == 2 ? 8192 : 0;
        assertThat(s.at("/io_stats/reads").asLong()).isEqualTo((1_048_576 + extraRead) / 512);
        assertThat(s.at("/io_stats/writes").asLong()).isEqualTo((2_097_152 + extraWrite) / 512);
        assertThat(s.at("/network_usage/rx_bytes").asLong()).as("container receive = host tx").isEqualTo(5000);
        assertThat(s.at("/network_usage/tx_bytes").asLong()).as("container transmit = host rx").isEqualTo(1000);
        assertThat(s.at("/allocation/cores").asInt()).isEqualTo(2);
        assertThat(s.at("/allocation/effective_cpus").asDouble()).isEqualTo(2.0);
        assertThat(s.at("/allocation/memory_mb").asInt()).isEqualTo(2048);
        assertThat(s.at("/allocation/hostname").asText()).isEqualTo("web1");
        assertThat(s.at("/allocation/tags").toString()).isEqualTo("[\"prod\",\"web\"]");
        assertThat(s.at("/memory/max_mb").asDouble()).isEqualTo(2048.0);
        assertThat(s.at("/memory/current_mb").asDouble()).isEqualTo(300.0);
        assertThat(s.at("/memory/file_mb").asDouble()).isEqualTo(100.0);
        assertThat(s.at("/memory/swap_max_mb").asDouble()).isEqualTo(512.0);
        assertThat(s.at("/cpu/usage_usec").asLong()).isEqualTo(5_000_000);
        File root = tree.proc.resolve(ct.initPid + "/root").toFile();
        assertThat(s.get("filesystem_total_gb").asDouble())
                .isCloseTo(root.getTotalSpace() / (1024.0 * 1024 * 1024), org.assertj.core.data.Offset.offset(0.001));
        assertThat(s.has("filesystem_usage_gb")).isTrue();
        assertThat(s.has("filesystem_free_gb")).isTrue();
        if (version == 2) {
            assertThat(s.at("/memory/high_mb").asDouble()).isEqualTo(2032.0);
            assertThat(s.at("/pressure/cpu/some_avg10").asDouble()).isEqualTo(1.5);
            assertThat(s.at("/pressure/cpu/full_avg10").asDouble()).isEqualTo(0.25);
            assertThat(s.at("/pressure/io/some_avg10").asDouble()).isEqualTo(12.34);
        } else {
            assertThat(s.has("pressure")).as("no per-cgroup PSI on v1").isFalse();
            assertThat(s.at("/memory/high_mb").isMissingNode()).isTrue();
        }
        JsonNode summary = first.get("summary");
        assertThat(summary.get("total_containers").asInt()).isEqualTo(1);
        assertThat(summary.get("collected_containers").asInt()).isEqualTo(1);
        assertThat(summary.get("cgroup_version").asInt()).isEqualTo(version);
        assertThat(summary.get("host_cpus").asInt()).isEqualTo(4);
        assertThat(summary.get("host_memory_mb").asDouble()).isEqualTo(16000.0);
        assertThat(summary.get("hostname").asText()).isEqualTo("pve-test");
        assertThat(summary.get("format_version").asInt()).isEqualTo(2);
        assertThat(summary.get("monitor_rss_mb").asDouble()).isPositive();

        ct.usageUsec += 15_000_000; // 1.5 cores busy over the 10 s
        ct.nrPeriods += 100;
        ct.nrThrottled += 2;
        ct.throttledUsec += 7_000;
        ct.readBytes += 10 * 1_048_576;
        ct.writeOps += 50;
        ct.hostRx += 10_000;
        ct.hostTx += 20_000;
        ct.eventsHigh += 4;
        ct.oomKill += 1;
        tree.write(ct);
        JsonNode t = nextCycle(c).get("101");
        assertThat(t.get("interval_seconds").asDouble()).isEqualTo(10.0);
        assertThat(t.at("/cpu/used_cores").asDouble()).isEqualTo(1.5);
        assertThat(t.get("cpu_usage_percent").asDouble()).as("of 2 cores").isEqualTo(75.0);
        assertThat(t.at("/cpu/percent_of_allocation").asDouble()).isEqualTo(75.0);
        assertThat(t.at("/cpu/percent_of_host").asDouble()).as("of 4 host CPUs").isEqualTo(37.5);
        assertThat(t.at("/cpu/nr_periods").asLong()).isEqualTo(100);
        assertThat(t.at("/cpu/nr_throttled").asLong()).isEqualTo(2);
        assertThat(t.at("/cpu/throttled_usec").asLong()).isEqualTo(7_000);
        assertThat(t.at("/rates/disk_read_bytes_per_s").asDouble()).isEqualTo(1_048_576.0);
        assertThat(t.at("/rates/disk_write_bytes_per_s").asDouble()).isEqualTo(0.0);
        assertThat(t.at("/rates/disk_write_ops_per_s").asDouble()).isEqualTo(5.0);
        assertThat(t.at("/rates/net_tx_bytes_per_s").asDouble()).isEqualTo(1000.0);
        assertThat(t.at("/rates/net_rx_bytes_per_s").asDouble()).isEqualTo(2000.0);
        assertThat(t.at("/memory/events/oom_kill").asLong()).isEqualTo(1);
        if (version == 2) {
            assertThat(t.at("/memory/events/high").asLong()).isEqualTo(4);
        } else {
            assertThat(t.at("/memory/events/high").isMissingNode()).isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void onV1AnOomKillCountedOnlyInTheNsChildIsReported() {
        // As a 6.x kernel does with Proxmox's layout: the limit is on lxc/101, the victim lives in lxc/101/ns,
        // and v1 counts the kill in the victim's cgroup only (lxc/101's own oom_kill stays 0).
        HostTree tree = new HostTree(dir, false);
        HostTree.Ct ct = tree.add(101, CONF_101);
        ct.nsOomKill = 2;
        tree.write(ct);
        Collector c = collector(tree);
        nextCycle(c);
        ct.nsOomKill = 3;
        tree.write(ct);
        assertThat(nextCycle(c).at("/101/memory/events/oom_kill").asLong()).as("one new kill in ns").isEqualTo(1);
        ct.oomKill = 1; // a process left in lxc/101 itself (not Proxmox's layout) killed too
        ct.nsOomKill = 5;
        tree.write(ct);
        assertThat(nextCycle(c).at("/101/memory/events/oom_kill").asLong()).as("1 outside ns + 2 in ns").isEqualTo(3);
    }

    @org.junit.jupiter.api.Test
    void aProcessWithASmallerPidThanInitAfterPidsWrappedIsNotTakenForARestart() throws Exception {
        // As seen on a host with kernel.pid_max 32768: init 10101 runs on, a process started later got PID 50.
        HostTree tree = new HostTree(dir, false);
        HostTree.Ct ct = tree.add(101, CONF_101);
        Collector c = collector(tree);
        nextCycle(c);
        nextCycle(c);
        Path procs = tree.cgroup.resolve("cpuacct/lxc/101/ns/cgroup.procs");
        java.nio.file.Files.writeString(procs, "50\n" + ct.initPid + "\n");
        ct.oomKill += 1;
        ct.usageUsec += 10_000_000;
        tree.write(ct);
        java.nio.file.Files.writeString(procs, "50\n" + ct.initPid + "\n");
        JsonNode s = nextCycle(c).get("101");
        assertThat(s.at("/memory/events/oom_kill").asLong()).as("the kill of this cycle is kept").isEqualTo(1);
        assertThat(s.at("/cpu/used_cores").asDouble()).isEqualTo(1.0);
        // init gone, PID 50 left: that is a restart (no deltas this cycle), then rates resume
        java.nio.file.Files.writeString(procs, "50\n");
        ct.usageUsec += 10_000_000;
        tree.write(ct);
        java.nio.file.Files.writeString(procs, "50\n");
        assertThat(nextCycle(c).get("101").at("/cpu/used_cores").isMissingNode()).as("restart: no rate").isTrue();
    }

    /** Off cgroupfs (the simulator writes a temporary file and renames it over) no file is kept open on an old inode. */
    @org.junit.jupiter.api.Test
    void onAnOrdinaryFileSystemAFileReplacedByRenameIsReadAfresh() throws Exception {
        HostTree tree = new HostTree(dir, true);
        tree.add(101, CONF_101);
        Collector c = collector(tree);
        assertThat(nextCycle(c).at("/101/memory/max_mb").asDouble()).isEqualTo(2048.0);
        Path max = tree.cgroup.resolve("lxc/101/memory.max");
        Path tmp = tree.cgroup.resolve("lxc/101/.memory.max.tmp");
        java.nio.file.Files.writeString(tmp, (3072L << 20) + "\n");
        java.nio.file.Files.move(tmp, max, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(nextCycle(c).at("/101/memory/max_mb").asDouble()).isEqualTo(3072.0);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void counterThatGoesBackwardsGivesNoDeltaThatCycleThenRatesResume(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct ct = tree.add(101, CONF_101);
        Collector c = collector(tree);
        nextCycle(c);
        ct.usageUsec = 1_000; // container restarted: every counter starts again
        ct.readBytes = 0;
        ct.hostRx = 10;
        ct.nrThrottled = 0;
        tree.write(ct);
        JsonNode reset = nextCycle(c).get("101");
        assertThat(reset.has("cpu_usage_percent")).isFalse();
        assertThat(reset.has("rates")).isFalse();
        assertThat(reset.at("/cpu/nr_throttled").isMissingNode()).isTrue();
        assertThat(reset.get("memory_usage_mb").asDouble()).as("levels are still reported").isEqualTo(200.0);

        ct.usageUsec += 5_000_000;
        ct.hostRx += 100;
        tree.write(ct);
        JsonNode after = nextCycle(c).get("101");
        assertThat(after.get("cpu_usage_percent").asDouble()).isEqualTo(25.0);
        assertThat(after.at("/rates/net_tx_bytes_per_s").asDouble()).isEqualTo(10.0);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void stoppedContainerDisappearsAndAReusedVmidStartsWithoutStaleCounters(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct ct = tree.add(101, CONF_101);
        tree.add(102, "memory: 512\n");
        Collector c = collector(tree);
        nextCycle(c);
        tree.stop(101);
        ObjectNode without = nextCycle(c);
        assertThat(without.has("101")).isFalse();
        assertThat(without.has("102")).isTrue();
        assertThat(without.at("/summary/total_containers").asInt()).isEqualTo(1);

        ct.usageUsec = 99_000_000_000L; // a new container with the same VMID
        tree.write(ct);
        JsonNode back = nextCycle(c).get("101");
        assertThat(back.has("cpu_usage_percent")).as("first sample of the new container").isFalse();
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void garbageFilesLoseOnlyTheirValuesAndTheOtherContainersAreUnaffected(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, CONF_101);
        tree.add(102, "cores: 1\nmemory: 512\n");
        HostTree.write(tree.pve.resolve("101.conf"), "cores: many\n");
        Collector c = collector(tree);
        nextCycle(c);
        if (version == 2) {
            HostTree.write(tree.cgroup.resolve("lxc/101/cpu.stat"), "usage_usec twelve\nnr_periods 1\n");
            HostTree.write(tree.cgroup.resolve("lxc/101/memory.current"), "\u0000\u0001garbage");
            HostTree.write(tree.cgroup.resolve("lxc/101/io.stat"), "this is not io.stat\n");
            HostTree.write(tree.cgroup.resolve("lxc/101/cpu.pressure"), "some avg10=abc avg60=0\n");
        } else {
            HostTree.write(tree.cgroup.resolve("cpuacct/lxc/101/cpuacct.usage"), "-5\n");
            HostTree.write(tree.cgroup.resolve("memory/lxc/101/memory.usage_in_bytes"), "lots\n");
            HostTree.write(tree.cgroup.resolve("blkio/lxc/101/blkio.throttle.io_service_bytes_recursive"), "8:0 Read x\n");
        }
        HostTree.write(tree.net.resolve("veth101i0/statistics/rx_bytes"), "NaN\n");
        for (int i = 0; i < 2; i++) {
            ObjectNode snap = nextCycle(c);
            JsonNode s = snap.get("101");
            assertThat(s).isNotNull();
            assertThat(s.has("cpu_usage_percent")).isFalse();
            assertThat(s.has("memory_usage_mb")).isFalse();
            assertThat(s.has("io_stats")).isFalse();
            assertThat(s.has("network_usage")).isFalse();
            assertThat(s.at("/allocation/cores").isMissingNode()).as("unparsable config").isTrue();
            assertThat(s.get("process_count").asLong()).isEqualTo(27);
            assertThat(snap.get("102").has("cpu_usage_percent")).isTrue();
            assertThat(snap.get("102").get("cpu_usage_percent").asDouble()).isEqualTo(0.0);
        }
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void containerWhoseCgroupFilesAreAllMissingIsStillReportedWhileItsDirectoryExists(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, CONF_101);
        tree.add(102, CONF_101);
        Collector c = collector(tree);
        nextCycle(c);
        tree.stop(102);
        HostTree.mkdirs(tree.cgroupDir(102));
        ObjectNode partial = nextCycle(c);
        // An empty directory still exists: the container is reported with nothing but its allocation.
        assertThat(partial.get("102").has("memory_usage_mb")).isFalse();
        assertThat(partial.at("/summary/collected_containers").asInt()).isEqualTo(2);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void disabledCollectorsLeaveTheirKeysOut(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, CONF_101);
        var all = HostTrees.settings(tree);
        var none = new io.lxcautoscale.monitor.collect.CollectorSettings(all.cgroupRoot(), all.pveLxcDir(), all.procRoot(),
                all.sysClassNet(), false, false, false, java.util.List.of());
        JsonNode s = new Collector(none, Clock.systemUTC(), nanos::get).collect().get("101");
        assertThat(s.has("swap_usage_mb")).isFalse();
        assertThat(s.has("swap_total_mb")).isFalse();
        assertThat(s.has("network_usage")).isFalse();
        assertThat(s.has("filesystem_total_gb")).isFalse();
        assertThat(s.has("memory_usage_mb")).isTrue();
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void excludedDevicesByNameAndNumberAreLeftOutOfDiskIo(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, CONF_101);
        var all = HostTrees.settings(tree);
        var excluding = new io.lxcautoscale.monitor.collect.CollectorSettings(all.cgroupRoot(), all.pveLxcDir(),
                all.procRoot(), all.sysClassNet(), true, true, true, java.util.List.of("dm-"));
        JsonNode s = new Collector(excluding, Clock.systemUTC(), nanos::get).collect().get("101");
        assertThat(s.at("/io/read_bytes").asLong()).isEqualTo(1_048_576);
        var byNumber = new io.lxcautoscale.monitor.collect.CollectorSettings(all.cgroupRoot(), all.pveLxcDir(),
                all.procRoot(), all.sysClassNet(), true, true, true, java.util.List.of("8:"));
        JsonNode t = new Collector(byNumber, Clock.systemUTC(), nanos::get).collect().get("101");
        assertThat(t.at("/io/read_bytes").asLong()).isEqualTo(version == 2 ? 4096 : 0);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void noContainersDirectoryMeansAnEmptySnapshotWithSummary(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        ObjectNode snap = collector(tree).collect();
        assertThat(snap.size()).isEqualTo(1);
        assertThat(snap.at("/summary/total_containers").asInt()).isZero();
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void withoutPidsCurrentTheProcessesBelowNsAreCounted(int version) throws Exception {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, CONF_101);
        java.nio.file.Files.delete(version == 2 ? tree.cgroup.resolve("lxc/101/pids.current")
                : tree.cgroup.resolve("pids/lxc/101/pids.current"));
        // v2 tree: 2 PIDs in ns/init.scope, 1 in ns/system.slice; v1 tree: 1 in ns/
        assertThat(collector(tree).collect().at("/101/process_count").asLong()).isEqualTo(version == 2 ? 3 : 1);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void samplesCarryWhatBindsTheCpuThePressureSharesAndTheUnreclaimableMemory(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct limited = tree.add(101, "cores: 4\ncpulimit: 1.5\nmemory: 1024\nhostname: api\n");
        HostTree.Ct pinned = tree.add(102, "cores: 1\nmemory: 1024\nhostname: web\n");
        limited.memoryShmem = 40L << 20;   // tmpfs: inside the 100 MiB of file
        tree.write(limited);
        Collector c = collector(tree);
        nextCycle(c);
        for (HostTree.Ct ct : new HostTree.Ct[] {limited, pinned}) {
            ct.nrPeriods += 100;
            ct.nrThrottled += 25;
            ct.cpuSomeTotalUsec += 2_500_000;     // 2.5 s of 10 s
            ct.memorySomeTotalUsec += 100_000;    // 0.1 s of 10 s
            tree.write(ct);
        }
        limited.nsOomKill = 1;                    // v1: counted only in lxc/101/ns
        limited.oomKill = version == 2 ? 1 : 0;   // v2: memory.events is hierarchical
        tree.write(limited);
        ObjectNode second = nextCycle(c);

        JsonNode a = second.get("101");
        assertThat(a.at("/allocation/cpulimit").asDouble()).isEqualTo(1.5);
        assertThat(a.at("/allocation/cpu_bound_by").asText()).isEqualTo("cpulimit");
        assertThat(a.at("/cpu/throttled_share").asDouble()).isEqualTo(0.25);
        assertThat(a.at("/memory/shmem_mb").asDouble()).isEqualTo(40.0);
        assertThat(a.at("/memory/anon_mb").asDouble()).isEqualTo(200.0);       // 200 MiB − 1234 bytes, 2 decimals
        assertThat(a.at("/memory/unreclaimable_mb").asDouble()).isEqualTo(240.0); // anon + shmem + kernel
        assertThat(a.at("/memory/used_mb").asDouble()).isEqualTo(200.0);          // Proxmox's current − file misses the tmpfs
        assertThat(a.at("/memory/events/oom_kill").asLong()).isEqualTo(1);

        JsonNode b = second.get("102");
        assertThat(b.at("/allocation/cpu_bound_by").asText()).isEqualTo("cores");
        assertThat(b.at("/cpu").has("throttled_share")).as("a cpuset cannot throttle").isFalse();
        assertThat(b.at("/cpu/nr_throttled").asLong()).isEqualTo(25); // the raw delta stays, as before
        if (version == 2) {
            assertThat(a.at("/pressure/cpu/some_percent").asDouble()).isEqualTo(25.0);
            assertThat(a.at("/pressure/cpu/some_total_usec").asLong()).isEqualTo(123_456 + 2_500_000);
            assertThat(a.at("/pressure/memory/some_percent").asDouble()).isEqualTo(1.0);
            assertThat(a.at("/memory/kernel_mb").asDouble()).isEqualTo(0.0);
        } else {
            assertThat(a.has("pressure")).as("no PSI on cgroup v1").isFalse();
        }
    }
}
