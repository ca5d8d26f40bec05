package io.lxcautoscale.sim.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.sim.SimNodes;
import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLimitsTest {
    @Test
    void demandAboveCoresWaitsOnTheCpusetWithoutAnyThrottling(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                host: {cpus: 8}
                containers:
                  - {vmid: 101, cores: 1, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                  - {vmid: 102, cores: 4, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                """);
        node.run(20);
        // usage flattens at the one CPU of its cpuset
        assertThat(node.flat(101, "cpu.stat", "usage_usec")).isEqualTo(20_000_000L);
        // no quota: CFS bandwidth control never runs, so every throttling counter stays 0
        assertThat(node.flat(101, "cpu.stat", "nr_periods")).isZero();
        assertThat(node.flat(101, "cpu.stat", "nr_throttled")).isZero();
        assertThat(node.flat(101, "cpu.stat", "throttled_usec")).isZero();
        // 2 of the 3 runnable cores wait: "some" = 66.67 %; avg10 after 20 s = 66.67 × (1 − e^−2) = 57.64
        assertThat(someAvg10(node.cg(101, "cpu.pressure"))).isCloseTo(57.64, org.assertj.core.data.Offset.offset(0.02));
        assertThat(someTotal(node.cg(101, "cpu.pressure"))).isBetween(13_333_000L, 13_334_000L); // 2/3 of 20 s in µs
        // with enough cores nothing waits and nothing is throttled
        assertThat(node.flat(102, "cpu.stat", "usage_usec")).isEqualTo(60_000_000L);
        assertThat(node.flat(102, "cpu.stat", "nr_throttled")).isZero();
        assertThat(node.cg(102, "cpu.pressure")).startsWith("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    }

    @Test
    void onlyABindingCpulimitThrottles(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                host: {cpus: 8}
                containers:
                  - {vmid: 103, cores: 4, cpulimit: 1.5, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                  - {vmid: 104, cores: 1, cpulimit: 2, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                """);
        node.run(20);
        assertThat(node.cg(103, "cpu.max")).isEqualTo("150000 100000\n");
        assertThat(node.flat(103, "cpu.stat", "usage_usec")).isEqualTo(30_000_000L);   // 1.5 cores × 20 s
        assertThat(node.flat(103, "cpu.stat", "nr_periods")).isEqualTo(200);           // 20 s of 100 ms periods
        assertThat(node.flat(103, "cpu.stat", "nr_throttled")).isEqualTo(200);         // short in every period
        assertThat(node.flat(103, "cpu.stat", "throttled_usec")).isEqualTo(30_000_000L); // 1.5 cores short × 20 s
        assertThat(node.cg(103, "cpu.pressure")).startsWith("some avg10=0.00");
        // cpulimit 2 above a 1-CPU cpuset: the cpuset binds, the quota never runs out
        assertThat(node.flat(104, "cpu.stat", "usage_usec")).isEqualTo(20_000_000L);
        assertThat(node.flat(104, "cpu.stat", "nr_periods")).isEqualTo(200);
        assertThat(node.flat(104, "cpu.stat", "nr_throttled")).isZero();
        assertThat(someAvg10(node.cg(104, "cpu.pressure"))).isGreaterThan(50);
    }

    @Test
    void aCoresChangeTakesEffectOnlyAtTheNextRebalance(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                host: {cpus: 8}
                containers:
                  - {vmid: 101, cores: 1, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                """);
        node.run(2);
        Path conf = node.files.confFile("pve-sim", 101);
        GuestConfig c = GuestConfig.parse(conf.toString(), Files.readString(conf));
        c.put("cores", "4");
        AtomicFiles.write(conf, c.format());
        long before = node.flat(101, "cpu.stat", "usage_usec");
        node.run(7); // simulated seconds 3..9: the rebalance at 0 is the last one
        assertThat(node.flat(101, "cpu.stat", "usage_usec") - before).isEqualTo(7_000_000L);
        assertThat(node.cg(101, "cpuset.cpus.effective")).isEqualTo("0\n");
        node.run(1); // second 10: pvestatd's rebalance applies cores = 4
        assertThat(node.cg(101, "cpuset.cpus.effective")).isEqualTo("0-3\n");
        assertThat(node.flat(101, "cpu.stat", "usage_usec") - before).isEqualTo(10_000_000L); // 7 s × 1 + 1 s × 3
    }

    @Test
    void tmpfsIsCountedInFileAndShmemAndAnOomKillDoesNotFreeIt(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                containers:
                  - {vmid: 107, cores: 1, memory_mb: 1024, swap_mb: 0,
                     workload: {type: steady, cpu_cores: 0.2, memory_mb: 200, cache_mb: 100, tmpfs_mb: 300, jitter: 0}}
                  - {vmid: 108, cores: 1, memory_mb: 512, swap_mb: 0,
                     workload: {type: leak, memory_mb: 100, cache_mb: 0, tmpfs_mb: 300, leak_mb_per_hour: 36000, jitter: 0}}
                """);
        node.run(5);
        assertThat(node.flat(107, "memory.stat", "shmem")).isEqualTo(300L << 20);
        assertThat(node.flat(107, "memory.stat", "file")).isEqualTo(400L << 20); // 100 MiB cache + 300 MiB tmpfs
        assertThat(node.flat(107, "memory.stat", "anon")).isEqualTo(200L << 20);
        long current = Long.parseLong(node.cg(107, "memory.current").strip());
        assertThat(current).isEqualTo((600L << 20) + node.flat(107, "memory.stat", "kernel"));
        // 108: 300 MiB tmpfs + a leak from 100 MiB at 10 MiB/s reach 512 MiB after about 10 s
        node.run(15);
        assertThat(node.flat(108, "memory.events", "oom_kill")).isPositive();
        assertThat(node.flat(108, "memory.stat", "shmem")).isEqualTo(300L << 20);
    }

    @Test
    void memoryHighReclaimsAndCountsBeforeTheFirstOomKill(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                containers:
                  - {vmid: 105, cores: 1, memory_mb: 256, swap_mb: 0,
                     workload: {type: leak, memory_mb: 100, cache_mb: 50, leak_mb_per_hour: 36000, jitter: 0}}
                """);
        // memory.high = 256 × 1024 × 1016 bytes (254 MiB)
        assertThat(node.cg(105, "memory.high")).isEqualTo(256L * 1024 * 1016 + "\n");
        long highBeforeKill = -1;
        long fileBeforeKill = -1;
        for (int s = 0; s < 30 && node.flat(105, "memory.events", "oom_kill") == 0; s++) {
            highBeforeKill = node.flat(105, "memory.events", "high");
            fileBeforeKill = node.flat(105, "memory.stat", "file");
            node.run(1);
        }
        assertThat(node.flat(105, "memory.events", "oom_kill")).isEqualTo(1);
        assertThat(highBeforeKill).isPositive();                 // reclaim at memory.high came first
        assertThat(fileBeforeKill).isLessThan(50L << 20);          // and took page cache
    }

    private static double someAvg10(String pressure) {
        String some = pressure.split("\n")[0];
        return Double.parseDouble(some.substring(some.indexOf("avg10=") + 6, some.indexOf(' ', some.indexOf("avg10="))));
    }

    private static long someTotal(String pressure) {
        String some = pressure.split("\n")[0];
        return Long.parseLong(some.substring(some.indexOf("total=") + 6).strip());
    }

    @Test
    void memoryOverMaxOomKillsAndTheLeakRestarts(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                containers:
                  - {vmid: 105, cores: 1, memory_mb: 256, swap_mb: 0,
                     workload: {type: leak, memory_mb: 100, cache_mb: 50, leak_mb_per_hour: 36000, jitter: 0}}
                """);
        // 10 MB/s from 100 MB: about 15 s until 256 MB
        node.run(10);
        assertThat(node.flat(105, "memory.events", "oom_kill")).isZero();
        long anonBefore = node.flat(105, "memory.stat", "anon");
        node.run(10);
        assertThat(node.flat(105, "memory.events", "oom_kill")).isEqualTo(1);
        assertThat(node.flat(105, "memory.events", "oom")).isEqualTo(1);
        assertThat(node.flat(105, "memory.stat", "anon")).isLessThan(anonBefore); // the kill freed the leaked memory
        assertThat(Long.parseLong(node.cg(105, "memory.current").strip())).isLessThanOrEqualTo(256L << 20);
        // page cache was reclaimed before the kill: memory.max events were counted
        assertThat(node.flat(105, "memory.events", "max")).isPositive();
    }

    @Test
    void swapAbsorbsOverflowBeforeAnyKill(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                containers:
                  - {vmid: 106, cores: 1, memory_mb: 256, swap_mb: 512, workload: {type: steady, memory_mb: 400, cache_mb: 50, jitter: 0}}
                """);
        node.run(5);
        assertThat(node.flat(106, "memory.events", "oom_kill")).isZero();
        assertThat(Long.parseLong(node.cg(106, "memory.swap.current").strip())).isGreaterThan(100L << 20);
        assertThat(Long.parseLong(node.cg(106, "memory.current").strip())).isLessThanOrEqualTo(256L << 20);
    }

    @Test
    void aHandEditedBrokenConfigKeepsThePreviousLimitsAndTheOtherContainersRun(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                containers:
                  - {vmid: 101, cores: 1, memory_mb: 512, workload: {type: steady, cpu_cores: 2.0, jitter: 0}}
                  - {vmid: 102, cores: 1, workload: {type: steady, cpu_cores: 0.5, jitter: 0}}
                """);
        node.run(2);
        Path conf = node.files.confFile("pve-sim", 101);
        Files.writeString(conf, Files.readString(conf).replace("memory: 512", "memory: lots").replace("cores: 1", "cores: x"));
        Path other = node.files.confFile("pve-sim", 102);
        String good = Files.readString(other);
        long usage101 = node.flat(101, "cpu.stat", "usage_usec");
        long usage102 = node.flat(102, "cpu.stat", "usage_usec");
        node.run(3);
        assertThat(node.cg(101, "memory.max")).isEqualTo((512L << 20) + "\n");
        assertThat((node.flat(101, "cpu.stat", "usage_usec") - usage101) / 3e6).isBetween(0.95, 1.0);
        assertThat(node.flat(102, "cpu.stat", "usage_usec")).isGreaterThan(usage102);
        // an unparseable file (not key: value) does not make the container vanish either
        Files.writeString(other, good + "this is not a config line\n");
        node.run(2);
        assertThat(node.files.cgroupDir(102)).isDirectory();
        assertThat(Files.readString(node.files.stateFile())).contains("ct 102 running");
    }
}
