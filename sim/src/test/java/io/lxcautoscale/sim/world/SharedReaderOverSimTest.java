package io.lxcautoscale.sim.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.cgroup.CgroupCounters;
import io.lxcautoscale.common.cgroup.CgroupReader;
import io.lxcautoscale.sim.SimNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated node read through common's cgroup reader (what the monitor and the API read): the Proxmox controls
 * show the way they show on a host.
 */
class SharedReaderOverSimTest {
    private static CgroupCounters read(SimNodes node, int vmid) {
        CgroupReader.Reading r = new CgroupReader(node.files.cgroupRoot()).read(vmid);
        assertThat(r).isInstanceOf(CgroupReader.Running.class);
        return ((CgroupReader.Running) r).counters();
    }

    @Test
    void cpusetBoundWaitsCpulimitBoundThrottlesAndTmpfsIsUnreclaimable(@TempDir Path tmp) {
        SimNodes node = new SimNodes(tmp, """
                host: {cpus: 8}
                containers:
                  - {vmid: 101, cores: 2, workload: {type: steady, cpu_cores: 4.0, memory_mb: 200, jitter: 0}}
                  - {vmid: 102, cores: 4, cpulimit: 1, workload: {type: steady, cpu_cores: 2.0, memory_mb: 200, jitter: 0}}
                  - {vmid: 103, cores: 1, memory_mb: 2048, swap_mb: 0,
                     workload: {type: steady, cpu_cores: 0.1, memory_mb: 300, cache_mb: 100, tmpfs_mb: 600, jitter: 0}}
                """);
        node.run(10);
        CgroupCounters busy = read(node, 101);
        CgroupCounters limited = read(node, 102);
        CgroupCounters tmpfs = read(node, 103);
        node.run(10);
        CgroupCounters busyLater = read(node, 101);
        CgroupCounters limitedLater = read(node, 102);

        // 101: usage flat at its 2 CPUs, never throttled, half of its demand waiting (PSI some 50 % of wall time)
        assertThat(busyLater.cpuUsageUsec - busy.cpuUsageUsec).isEqualTo(20_000_000L);
        assertThat(busyLater.nrThrottled).isZero();
        assertThat(busyLater.cpuSomeTotalUsec - busy.cpuSomeTotalUsec).isEqualTo(5_000_000L);
        // 102: 1 core of cpu.max, throttled in every 100 ms period, no run-queue wait
        assertThat(limitedLater.cpuUsageUsec - limited.cpuUsageUsec).isEqualTo(10_000_000L);
        assertThat(limitedLater.nrThrottled - limited.nrThrottled).isEqualTo(100);
        assertThat(limitedLater.cpuSomeTotalUsec).isZero();
        // 103: tmpfs is in file and shmem, so Proxmox's used figure (current − file) misses it; unreclaimable does not
        assertThat(tmpfs.memoryShmemBytes).isEqualTo(600L << 20);
        assertThat(tmpfs.memoryFileBytes).isEqualTo(700L << 20);
        assertThat(tmpfs.usedBytes()).isEqualTo((300L << 20) + tmpfs.memoryKernelBytes);
        assertThat(tmpfs.unreclaimableBytes()).isEqualTo((900L << 20) + tmpfs.memoryKernelBytes);
    }
}
