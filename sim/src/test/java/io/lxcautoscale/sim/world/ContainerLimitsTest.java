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
    void demandAboveCoresIsCappedAndCountedAsThrottling(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                host: {cpus: 8}
                containers:
                  - {vmid: 101, cores: 1, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                  - {vmid: 102, cores: 4, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                """);
        node.run(20);
        double busyCores = node.flat(101, "cpu.stat", "usage_usec") / 20e6;
        assertThat(busyCores).isBetween(0.95, 1.0);
        assertThat(node.flat(101, "cpu.stat", "nr_throttled")).isGreaterThan(100);
        assertThat(node.flat(101, "cpu.stat", "throttled_usec")).isGreaterThan(30_000_000L); // 2 cores short for 20 s
        assertThat(node.cg(101, "cpu.pressure")).doesNotStartWith("some avg10=0.00");
        // with enough cores nothing is throttled
        assertThat(node.flat(102, "cpu.stat", "usage_usec") / 20e6).isBetween(2.95, 3.0);
        assertThat(node.flat(102, "cpu.stat", "nr_throttled")).isZero();
        assertThat(node.cg(102, "cpu.pressure")).startsWith("some avg10=0.00");
    }

    @Test
    void raisingCoresInTheConfigLiftsTheCapAndCpulimitWritesCpuMax(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                host: {cpus: 8}
                containers:
                  - {vmid: 101, cores: 1, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                """);
        node.run(10);
        long before = node.flat(101, "cpu.stat", "usage_usec");
        Path conf = node.files.confFile("pve-sim", 101);
        GuestConfig c = GuestConfig.parse(conf.toString(), Files.readString(conf));
        c.put("cores", "4");
        c.put("cpulimit", "2.5");
        AtomicFiles.write(conf, c.format());
        long throttledBefore = node.flat(101, "cpu.stat", "throttled_usec");
        node.run(10);
        assertThat((node.flat(101, "cpu.stat", "usage_usec") - before) / 10e6).isBetween(2.45, 2.5);
        assertThat(node.cg(101, "cpu.max")).isEqualTo("250000 100000\n");
        assertThat(node.cg(101, "cpuset.cpus.effective")).isEqualTo("0-3\n");
        // still 0.5 core short: throttling continues, but slower than the 2 cores short before
        assertThat(node.flat(101, "cpu.stat", "throttled_usec") - throttledBefore).isBetween(4_000_000L, 6_000_000L);
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
