package io.lxcautoscale.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lxcautoscale.sim.SimNodes;
import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster demo's API state follows the simulated nodes' files, and stops following a node that is offline. */
class ClusterMirrorTest {
    private static final String PVE1 = """
            host: {node: pve1, cpus: 4, memory_mb: 8192}
            containers:
              - {vmid: 101, hostname: web, cores: 2, memory_mb: 1024, swap_mb: 256, tags: [prod, web],
                 workload: {type: steady, cpu_cores: 1.5, memory_mb: 300, jitter: 0}}
              - {vmid: 102, hostname: spare, memory_mb: 512, status: stopped, workload: {type: idle}}
            """;
    private static final String PVE2 = """
            host: {node: pve2, cpus: 16, memory_mb: 32768}
            containers:
              - {vmid: 201, hostname: build, cores: 1, memory_mb: 2048, workload: {type: idle}}
            """;

    @Test
    void mirrorsConfigsRunStateAndUseOfOnlineNodesOnly(@TempDir Path dir) throws Exception {
        SimNodes pve1 = new SimNodes(Files.createDirectory(dir.resolve("a")), PVE1);
        SimNodes pve2 = new SimNodes(Files.createDirectory(dir.resolve("b")), PVE2);
        SimPveCluster cluster = new SimPveCluster();
        cluster.addNode("pve1", 4, 8L << 30);
        cluster.addNode("pve2", 16, 32L << 30);
        // both nodes move on one clock, as in the demo
        ClusterMirror mirror = new ClusterMirror(cluster, List.of(new ClusterMirror.MirroredNode("pve1", 4, 8192, pve1.files),
                new ClusterMirror.MirroredNode("pve2", 16, 32768, pve2.files)), () -> pve1.clockMs.get() * 1_000_000L);

        mirror.sync();
        assertThat(cluster.container(101)).contains(new SimPveContainer(101, "pve1", "web", "running", 2, 1024, Optional.empty(),
                Optional.empty(), List.of("prod", "web"), 256));
        // no cores in its config: Proxmox reports the node's CPUs
        assertThat(cluster.container(102)).contains(new SimPveContainer(102, "pve1", "spare", "stopped", 4, 512, Optional.empty(),
                Optional.empty(), List.of(), 512));
        assertThat(cluster.container(201).orElseThrow().node()).isEqualTo("pve2");

        pve1.run(20);
        pve2.clockMs.set(pve1.clockMs.get());
        pve2.run(0);
        mirror.sync();
        // 1.5 cores of demand on 2 cores, over the 20 s between the two reads
        assertThat(cluster.usage(101).cpu()).isCloseTo(1.5 / 2, within(0.02));
        assertThat(cluster.usage(101).memBytes()).isBetween(300L << 20, 400L << 20);
        assertThat(cluster.usage(102).cpu()).isZero();

        Path conf = pve1.files.confFile("pve1", 101);
        GuestConfig changed = GuestConfig.parse(conf.toString(), Files.readString(conf));
        changed.put("cores", "3");
        changed.put("lock", "backup");
        Files.writeString(conf, changed.format());
        cluster.setOnline("pve2", false);
        Path conf2 = pve2.files.confFile("pve2", 201);
        GuestConfig changed2 = GuestConfig.parse(conf2.toString(), Files.readString(conf2));
        changed2.put("cores", "8");
        Files.writeString(conf2, changed2.format());
        mirror.sync();

        assertThat(cluster.container(101).orElseThrow().cores()).isEqualTo(3);
        assertThat(cluster.container(101).orElseThrow().lock()).contains("backup");
        // an offline node is not read: its container keeps its last state
        assertThat(cluster.container(201).orElseThrow().cores()).isEqualTo(1);
    }
}
