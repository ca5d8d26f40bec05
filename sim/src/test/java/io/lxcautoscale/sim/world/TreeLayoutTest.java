package io.lxcautoscale.sim.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.sim.SimNodes;
import io.lxcautoscale.sim.pve.GuestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeLayoutTest {
    static final String SCENARIO = """
            host: {node: testnode, cpus: 4, memory_mb: 16384}
            containers:
              - {vmid: 101, hostname: web1, cores: 2, memory_mb: 1024, swap_mb: 256, tags: [Prod, web], workload: {type: steady, cpu_cores: 1.0, memory_mb: 200, cache_mb: 100}}
              - {vmid: 102, hostname: db1, memory_mb: 512, lock: backup, status: stopped}
            """;
    static final Pattern PSI = Pattern.compile(
            "some avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=\\d+\nfull avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=\\d+\n");

    @Test
    void runningContainerHasEveryCgroupFileInKernelFormat(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        node.run(5);
        Path cg = node.files.cgroupDir(101);
        assertThat(Files.readString(node.files.cgroupRoot().resolve("cgroup.controllers"))).contains("memory");
        assertThat(node.cg(101, "cpu.stat")).matches(
                "usage_usec \\d+\nuser_usec \\d+\nsystem_usec \\d+\nnr_periods \\d+\nnr_throttled \\d+\nthrottled_usec \\d+\nnr_bursts 0\nburst_usec 0\n");
        assertThat(node.flat(101, "cpu.stat", "usage_usec"))
                .isEqualTo(node.flat(101, "cpu.stat", "user_usec") + node.flat(101, "cpu.stat", "system_usec"));
        assertThat(node.cg(101, "cpu.max")).isEqualTo("max 100000\n");
        assertThat(node.cg(101, "cpuset.cpus.effective")).matches("\\d+-\\d+\n");
        assertThat(node.cg(101, "memory.max")).isEqualTo((1024L << 20) + "\n");
        assertThat(node.cg(101, "memory.high")).isEqualTo((1024L * 1024 * 1016) + "\n");
        assertThat(node.cg(101, "memory.swap.max")).isEqualTo((256L << 20) + "\n");
        assertThat(node.cg(101, "memory.events")).matches("low \\d+\nhigh \\d+\nmax \\d+\noom \\d+\noom_kill \\d+\noom_group_kill \\d+\n");
        long current = Long.parseLong(node.cg(101, "memory.current").strip());
        long anon = node.flat(101, "memory.stat", "anon");
        long file = node.flat(101, "memory.stat", "file");
        long kernel = node.flat(101, "memory.stat", "kernel");
        assertThat(current).isEqualTo(anon + file + kernel);
        assertThat(file).isGreaterThan(50L << 20); // page cache is part of memory.current
        assertThat(anon).isBetween(150L << 20, 250L << 20);
        for (String key : List.of("shmem", "active_anon", "inactive_file", "slab", "pgfault")) {
            node.flat(101, "memory.stat", key);
        }
        assertThat(node.cg(101, "memory.swap.current")).matches("\\d+\n");
        assertThat(node.cg(101, "io.stat")).matches("253:\\d+ rbytes=\\d+ wbytes=\\d+ rios=\\d+ wios=\\d+ dbytes=0 dios=0\n");
        assertThat(node.cg(101, "pids.current")).matches("\\d+\n");
        for (String psi : List.of("cpu.pressure", "memory.pressure", "io.pressure")) {
            assertThat(node.cg(101, psi)).matches(PSI);
        }
        String pid = node.cg(101, "ns/cgroup.procs").strip();
        assertThat(node.files.proc().resolve(pid).resolve("root")).isDirectory();
        assertThat(Files.readString(node.files.proc().resolve(pid).resolve("stat")).split(" ")).hasSize(52);
        Path net = node.files.netDir(101).resolve("statistics");
        // host rx = what the container sent (profile default tx 30 KB/s > rx 15 KB/s)
        assertThat(Long.parseLong(Files.readString(net.resolve("rx_bytes")).strip()))
                .isGreaterThan(Long.parseLong(Files.readString(net.resolve("tx_bytes")).strip()));
        // no temporary files left behind by the atomic writes
        try (var files = Files.list(cg)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void stoppedContainerHasConfigButNoCgroupAndHostFilesDescribeTheHost(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        node.run(2);
        assertThat(node.files.cgroupDir(102)).doesNotExist();
        assertThat(node.files.netDir(102)).doesNotExist();
        Path conf = node.files.root().resolve("etc/pve/lxc/102.conf");
        assertThat(Files.isSymbolicLink(node.files.confLink())).isTrue();
        GuestConfig c = GuestConfig.parse(conf.toString(), Files.readString(conf));
        assertThat(c.get("lock")).isEqualTo("backup");
        assertThat(c.cores()).isNull();
        GuestConfig web = GuestConfig.parse("101", Files.readString(node.files.root().resolve("etc/pve/lxc/101.conf")));
        assertThat(web.get("tags")).isEqualTo("prod;web");
        assertThat(web.get("rootfs")).isEqualTo("local-lvm:vm-101-disk-0,size=8G");
        assertThat(web.get("net0")).startsWith("name=eth0,bridge=vmbr0,").endsWith(",type=veth");

        List<String> stat = Files.readAllLines(node.files.proc().resolve("stat"));
        assertThat(stat.get(0)).matches("cpu  \\d+ 0 \\d+ \\d+ \\d+ 0 \\d+ 0 0 0");
        assertThat(stat.stream().filter(l -> l.matches("cpu\\d+ .*"))).hasSize(4);
        assertThat(Files.readAllLines(node.files.proc().resolve("meminfo")).get(0)).isEqualTo("MemTotal:       16777216 kB");
        assertThat(Files.readString(node.files.proc().resolve("net/dev"))).contains("veth101i0:").doesNotContain("veth102i0");
    }
}
