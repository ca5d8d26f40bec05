package io.lxcautoscale.common.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import io.lxcautoscale.common.testing.HostTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupLayoutTest {
    @TempDir
    Path dir;

    private final List<String> reported = new ArrayList<>();
    private final FileProblems problems = new FileProblems() {
        @Override
        public void garbage(String path, String what) {
            reported.add("garbage " + path);
        }

        @Override
        public void unreadable(String path, IOException error) {
            reported.add("unreadable " + path);
        }
    };

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void detectsTheLayoutAndListsOnlyNumericContainerDirectories(int version) throws IOException {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(105, "");
        tree.add(101, "");
        Files.createDirectories(tree.cgroupDir(101).getParent().resolve("not-a-ct"));
        Files.writeString(tree.cgroupDir(101).getParent().resolve("cgroup.procs"), "");
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        assertThat(layout.version()).isEqualTo(version);
        assertThat(layout.runningVmids()).containsExactly(101, 105);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void aCgroupRemovedBetweenListingAndReadingIsReportedAsVanishedWithoutWarnings(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, "");
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        FileSet files = layout.files(101);
        tree.stop(101);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        assertThat(layout.read(files, raw, new SmallFileReader(), problems)).isFalse();
        assertThat(reported).isEmpty();
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void aFileTheKernelDoesNotProvideIsAbsentAndTheRestIsRead(int version) throws IOException {
        HostTree tree = new HostTree(dir, version == 2);
        tree.add(101, "");
        Path swap = version == 2 ? tree.cgroup.resolve("lxc/101/memory.swap.current")
                : tree.cgroup.resolve("memory/lxc/101/memory.memsw.usage_in_bytes");
        Files.delete(swap);
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        FileSet files = layout.files(101);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        assertThat(layout.read(files, raw, new SmallFileReader(), problems)).isTrue();
        assertThat(raw.swapCurrentBytes).isEqualTo(ByteText.ABSENT);
        assertThat(raw.memoryCurrentBytes).isEqualTo(300L << 20);
        assertThat(raw.cpuUsageUsec).isEqualTo(5_000_000);
        assertThat(reported).isEmpty();
    }

    @Test
    void memoryMaxWordIsUnlimitedAndV1HugeLimitIsUnlimitedToo() {
        HostTree v2 = new HostTree(dir.resolve("a"), true);
        HostTree.Ct ct = v2.add(101, "");
        ct.memoryMax = "max";
        ct.swapMax = "max";
        v2.write(ct);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        CgroupLayout layout = CgroupLayout.detect(v2.cgroup, DeviceFilter.none(), true);
        layout.read(layout.files(101), raw, new SmallFileReader(), problems);
        assertThat(raw.memoryMaxBytes).isEqualTo(ByteText.UNLIMITED);
        assertThat(raw.swapMaxBytes).isEqualTo(ByteText.UNLIMITED);

        HostTree v1 = new HostTree(dir.resolve("b"), false);
        HostTree.Ct ct1 = v1.add(101, "");
        ct1.memoryMax = "max";
        v1.write(ct1);
        raw.clear();
        CgroupLayout layout1 = CgroupLayout.detect(v1.cgroup, DeviceFilter.none(), true);
        layout1.read(layout1.files(101), raw, new SmallFileReader(), problems);
        assertThat(raw.memoryMaxBytes).isEqualTo(ByteText.UNLIMITED);
        assertThat(raw.swapCurrentBytes).isEqualTo(10L << 20);
        assertThat(reported).isEmpty();
    }

    @Test
    void v1WithCpuAndCpuacctCoMountedAndNoSymlinksIsRead() throws IOException {
        HostTree tree = new HostTree(dir, false);
        tree.add(101, "");
        Path comounted = tree.cgroup.resolve("cpu,cpuacct");
        Files.move(tree.cgroup.resolve("cpuacct"), comounted);
        Files.move(tree.cgroup.resolve("cpu/lxc/101/cpu.stat"), comounted.resolve("lxc/101/cpu.stat"));
        HostTree.deleteTree(tree.cgroup.resolve("cpu"));
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        assertThat(layout.runningVmids()).containsExactly(101);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        assertThat(layout.read(layout.files(101), raw, new SmallFileReader(), problems)).isTrue();
        assertThat(raw.cpuUsageUsec).isEqualTo(5_000_000);
        assertThat(raw.nrThrottled).isEqualTo(3);
    }

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void unreclaimableMemoryIsAnonPlusShmemPlusKernel(int version) {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct ct = tree.add(101, "");
        ct.memoryCurrent = 300L << 20;
        ct.memoryFile = 100L << 20;   // of which 40 MiB tmpfs
        ct.memoryShmem = 40L << 20;
        ct.memoryKernel = 1234;
        tree.write(ct);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        assertThat(layout.read(layout.files(101), raw, new SmallFileReader(), problems)).isTrue();
        assertThat(raw.memoryShmemBytes).isEqualTo(41_943_040L);
        assertThat(raw.memoryAnonBytes).isEqualTo(209_713_966L);  // 200 MiB − 1234
        assertThat(raw.memoryKernelBytes).isEqualTo(1234);
        // 200 MiB anon and kernel together + 40 MiB shmem = 240 MiB, while Proxmox's mem (current − file) says 200 MiB
        assertThat(raw.unreclaimableBytes()).isEqualTo(251_658_240L);
        assertThat(raw.usedBytes()).isEqualTo(209_715_200L);
        assertThat(reported).isEmpty();
    }

    @Test
    void v2ReadsThePsiSomeTotalsOfCpuAndMemory() {
        HostTree tree = new HostTree(dir, true);
        HostTree.Ct ct = tree.add(101, "");
        ct.cpuSomeTotalUsec = 98_765_432_101L;
        ct.memorySomeTotalUsec = 4_321;
        tree.write(ct);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        layout.read(layout.files(101), raw, new SmallFileReader(), problems);
        assertThat(raw.cpuSomeTotalUsec).isEqualTo(98_765_432_101L);
        assertThat(raw.cpuSomeAvg10).isEqualTo(1.5);
        assertThat(raw.memorySomeTotalUsec).isEqualTo(4_321);
        assertThat(reported).isEmpty();
    }

    @Test
    void v1CountsOomKillsOfTheContainersNsCgroupToo() throws IOException {
        HostTree tree = new HostTree(dir, false);
        HostTree.Ct ct = tree.add(101, "");
        // the kernel counted the kill in lxc/101/ns (where the limit was hit), not in lxc/101
        ct.oomKill = 0;
        ct.nsOomKill = 1;
        tree.write(ct);
        CgroupLayout layout = CgroupLayout.detect(tree.cgroup, DeviceFilter.none(), true);
        FileSet files = layout.files(101);
        CgroupCounters raw = new CgroupCounters();
        raw.clear();
        layout.read(files, raw, new SmallFileReader(), problems);
        assertThat(raw.eventsOomKill).isEqualTo(1);
        ct.oomKill = 2;
        ct.nsOomKill = 3;
        tree.write(ct);
        raw.clear();
        layout.read(files, raw, new SmallFileReader(), problems);
        assertThat(raw.eventsOomKill).isEqualTo(5);
        // an older pve-container without ns/: the container's own file alone
        HostTree.deleteTree(tree.cgroup.resolve("memory/lxc/101/ns"));
        raw.clear();
        FileSet fresh = layout.files(101);
        assertThat(layout.read(fresh, raw, new SmallFileReader(), problems)).isTrue();
        assertThat(raw.eventsOomKill).isEqualTo(2);
        assertThat(reported).isEmpty();
    }

    @Test
    void theOneShotReaderTellsRunningNotRunningAndUnreadableApart() throws IOException {
        HostTree tree = new HostTree(dir, true);
        HostTree.Ct ct = tree.add(101, "");
        ct.memoryShmem = 40L << 20;
        tree.write(ct);
        CgroupReader reader = new CgroupReader(tree.cgroup);
        CgroupReader.Reading running = reader.read(101);
        assertThat(running).isInstanceOf(CgroupReader.Running.class);
        CgroupCounters c = ((CgroupReader.Running) running).counters();
        assertThat(c.usedBytes()).isEqualTo(200L << 20);
        assertThat(c.unreclaimableBytes()).isEqualTo(240L << 20);
        assertThat(reader.read(102)).isInstanceOf(CgroupReader.NotRunning.class);
        Files.writeString(tree.cgroup.resolve("lxc/101/memory.current"), "lots\n");
        CgroupReader.Reading broken = reader.read(101);
        assertThat(broken).isInstanceOf(CgroupReader.Unreadable.class);
        assertThat(((CgroupReader.Unreadable) broken).problems()).singleElement().asString()
                .contains("lxc/101/memory.current").contains("expected one non-negative integer");
    }
}
