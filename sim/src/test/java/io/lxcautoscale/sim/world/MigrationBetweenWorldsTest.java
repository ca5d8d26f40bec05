package io.lxcautoscale.sim.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.sim.SimNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart-mode migration between two simulated nodes, as the cluster demo's {@code --migrate} runs it. */
class MigrationBetweenWorldsTest {
    private static final String SOURCE = """
            host: {node: pve1, cpus: 4, memory_mb: 16384}
            containers:
              - {vmid: 101, hostname: web1, cores: 2, memory_mb: 1024, workload: {type: steady, cpu_cores: 1.0, memory_mb: 200, cache_mb: 0}}
            """;
    private static final String TARGET = """
            host: {node: pve2, cpus: 8, memory_mb: 32768}
            containers:
              - {vmid: 201, hostname: other, cores: 1, memory_mb: 512, workload: {type: steady, cpu_cores: 0.1, memory_mb: 50, cache_mb: 0}}
            """;

    @Test
    void theContainerStopsLockedThenRunsOnTheTargetWithItsConfigAndWorkload(@TempDir Path tmp) throws Exception {
        SimNodes source = new SimNodes(tmp.resolve("a"), SOURCE);
        SimNodes target = new SimNodes(tmp.resolve("b"), TARGET);
        source.run(5);
        Path sourceConf = source.files.confFile("pve1", 101);
        assertThat(Files.isDirectory(source.files.cgroupDir(101))).isTrue();

        source.world.beginMigrationOut(101);
        source.run(1);
        assertThat(Files.readString(sourceConf)).contains("lock: migrate");
        assertThat(Files.exists(source.files.cgroupDir(101))).as("shut down: no cgroup").isFalse();

        World.Migrated moving = source.world.endMigrationOut(101);
        source.run(1);
        assertThat(Files.exists(sourceConf)).isFalse();
        assertThat(moving.spec()).isNotNull();

        target.world.migrateIn(moving);
        target.run(5);
        String conf = Files.readString(target.files.confFile("pve2", 101));
        assertThat(conf).contains("cores: 2").contains("memory: 1024").contains("hostname: web1").doesNotContain("lock");
        // its workload came along: 1 core busy for the 5 s since it started there (counters from zero), 200 MiB used
        assertThat(target.flat(101, "cpu.stat", "usage_usec")).isBetween(4_000_000L, 5_100_000L);
        assertThat(target.flat(101, "memory.stat", "anon")).isBetween(150L << 20, 250L << 20);
        assertThat(Files.exists(source.files.cgroupDir(101))).isFalse();
    }
}
