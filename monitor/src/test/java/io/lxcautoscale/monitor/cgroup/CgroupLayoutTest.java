package io.lxcautoscale.monitor.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.monitor.HostTree;
import io.lxcautoscale.monitor.collect.RawCounters;
import io.lxcautoscale.monitor.read.ByteText;
import io.lxcautoscale.monitor.read.SmallFileReader;
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
        RawCounters raw = new RawCounters();
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
        RawCounters raw = new RawCounters();
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
        RawCounters raw = new RawCounters();
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
        RawCounters raw = new RawCounters();
        raw.clear();
        assertThat(layout.read(layout.files(101), raw, new SmallFileReader(), problems)).isTrue();
        assertThat(raw.cpuUsageUsec).isEqualTo(5_000_000);
        assertThat(raw.nrThrottled).isEqualTo(3);
    }
}
