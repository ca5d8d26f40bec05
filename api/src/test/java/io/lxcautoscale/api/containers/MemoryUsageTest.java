package io.lxcautoscale.api.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.HostTree;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API's memory check reads the same figures as the monitor, from fixture trees in Proxmox's v1 and v2 layouts. */
class MemoryUsageTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void usedIsCurrentMinusFileAndUnreclaimableCountsTheTmpfs(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct ct = tree.add(101, "");
        ct.memoryCurrent = 900L << 20;
        ct.memoryFile = 600L << 20;    // 500 MiB of it tmpfs
        ct.memoryShmem = 500L << 20;
        ct.memoryKernel = 20L << 20;
        tree.write(ct);
        MemoryUsage.Reading reading = new MemoryUsage(tree.cgroup).read(101);
        // used = 900 − 600 = 300 MiB; unreclaimable = anon (900 − 600 − 20) + shmem 500 + kernel 20 = 800 MiB
        assertThat(reading).isEqualTo(new MemoryUsage.Used(300L << 20, 800L << 20));
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void aStoppedContainerIsNotRunningAndAGarbledFileIsUnknown(int version) throws Exception {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, "");
        MemoryUsage usage = new MemoryUsage(tree.cgroup);
        assertThat(usage.read(102)).isEqualTo(new MemoryUsage.NotRunning());
        Path current = version == 2 ? tree.cgroup.resolve("lxc/101/memory.current")
                : tree.cgroup.resolve("memory/lxc/101/memory.usage_in_bytes");
        Files.writeString(current, "garbage\n");
        MemoryUsage.Reading reading = usage.read(101);
        assertThat(reading).isInstanceOf(MemoryUsage.Unknown.class);
        assertThat(((MemoryUsage.Unknown) reading).reason()).contains(current.toString());
        tree.stop(101);
        assertThat(usage.read(101)).isEqualTo(new MemoryUsage.NotRunning());
    }
}
