package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import io.lxcautoscale.common.testing.CannotRunHere;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor against the running kernel: a test-only container cgroup {@code lxc/<9999xx>/ns} with a
 * busy-looping process inside, created where this machine allows it (root, cgroup v2 and/or v1 mounted).
 * CI (root, cgroup v1 controllers under {@code /sys/fs/cgroup/<controller>} and cgroup2 at
 * {@code /sys/fs/cgroup/unified}) runs both tests; elsewhere a test that cannot run says why through
 * {@link CannotRunHere}, which fails it under {@code LXCAS_REQUIRE_ALL_TESTS=1}.
 */
class RealKernelCgroupTest {
    private static final Path SYS_CGROUP = Path.of("/sys/fs/cgroup");

    @TempDir
    Path dir;

    @Test
    void cgroupV2ReportsAboutOneCoreForABusyLoop() throws Exception {
        Path root;
        if (Files.exists(SYS_CGROUP.resolve("cgroup.controllers"))) {
            root = SYS_CGROUP;
        } else if (Files.exists(SYS_CGROUP.resolve("unified/cgroup.controllers"))) {
            root = SYS_CGROUP.resolve("unified"); // hybrid host: the v2 hierarchy is mounted beside the v1 ones
        } else {
            throw CannotRunHere.because("no cgroup v2 hierarchy mounted at " + SYS_CGROUP + " or " + SYS_CGROUP.resolve("unified"));
        }
        measure(root, root, 999_902, 2);
    }

    @Test
    void cgroupV1ReportsAboutOneCoreForABusyLoop() throws Exception {
        CannotRunHere.unless(!Files.exists(SYS_CGROUP.resolve("cgroup.controllers")),
                "pure cgroup v2 host: no v1 hierarchy to test");
        Path cpuacct = SYS_CGROUP.resolve("cpuacct");
        CannotRunHere.unless(Files.exists(cpuacct.resolve("cpuacct.usage")), "no cgroup v1 cpuacct hierarchy at " + cpuacct);
        measure(SYS_CGROUP, cpuacct, 999_901, 1);
    }

    /**
     * The collector keeps each container's cgroup files open between cycles. A container that stops and starts
     * again between two cycles gets a new cgroup under the same path; the old descriptors then fail (ENODEV) and
     * the collector must read the new cgroup, not report the old figures or lose the container.
     */
    @Test
    void cgroupV1ContainerRestartedBetweenCyclesIsReadFromItsNewCgroup() throws Exception {
        CannotRunHere.unless(!Files.exists(SYS_CGROUP.resolve("cgroup.controllers")),
                "pure cgroup v2 host: no v1 hierarchy to test");
        Path cpuacct = SYS_CGROUP.resolve("cpuacct");
        Path memory = SYS_CGROUP.resolve("memory");
        CannotRunHere.unless(Files.exists(cpuacct.resolve("cpuacct.usage")) && Files.exists(memory.resolve("memory.limit_in_bytes")),
                "no cgroup v1 cpuacct and memory hierarchies at " + SYS_CGROUP);
        int vmid = 999_904;
        List<Path> cts = List.of(cpuacct.resolve("lxc/" + vmid), memory.resolve("lxc/" + vmid));
        List<Path> created = new ArrayList<>();
        try {
            for (Path ct : cts) {
                removeQuietly(ct);
                if (!Files.isDirectory(ct.getParent())) {
                    createCgroup(ct.getParent());
                    created.add(ct.getParent());
                }
                createCgroup(ct);
            }
            Path limit = memory.resolve("lxc/" + vmid + "/memory.limit_in_bytes");
            Files.writeString(limit, (64L << 20) + "\n");
            Path pve = Files.createDirectories(dir.resolve("pve"));
            Files.writeString(pve.resolve(vmid + ".conf"), "cores: 1\nmemory: 64\n");
            CollectorSettings settings = new CollectorSettings(SYS_CGROUP, pve, Path.of("/proc"),
                    Files.createDirectories(dir.resolve("net")), true, true, true, List.of());
            try (Collector collector = new Collector(settings, Clock.systemUTC())) {
                assertThat(collector.collect().at("/" + vmid + "/memory/max_mb").asDouble()).isEqualTo(64.0);
                Files.writeString(limit, (96L << 20) + "\n");
                assertThat(collector.collect().at("/" + vmid + "/memory/max_mb").asDouble())
                        .as("a changed limit, read through the descriptor kept open").isEqualTo(96.0);

                for (Path ct : cts) {
                    Files.delete(ct);
                    Files.createDirectory(ct);
                }
                Files.writeString(limit, (128L << 20) + "\n");
                JsonNode snapshot = collector.collect();
                assertThat(snapshot.at("/" + vmid + "/memory/max_mb").asDouble()).as("snapshot %s", snapshot).isEqualTo(128.0);
                assertThat(snapshot.at("/summary/skipped/error").isMissingNode()).isTrue();
            }
        } finally {
            for (Path ct : cts) {
                removeQuietly(ct);
            }
            for (int i = created.size() - 1; i >= 0; i--) {
                removeQuietly(created.get(i));
            }
        }
    }

    private static void createCgroup(Path cgroup) {
        try {
            Files.createDirectory(cgroup);
        } catch (IOException e) {
            throw CannotRunHere.because("this machine does not let the test create cgroup " + cgroup + ": " + e);
        }
    }

    /** Creates {@code <hierarchy>/lxc/<vmid>/ns}, runs a busy loop in it, and compares the monitor with the kernel's per-process CPU time. */
    private void measure(Path cgroupRoot, Path hierarchy, int vmid, int expectedVersion) throws Exception {
        Path lxc = hierarchy.resolve("lxc");
        Path ct = lxc.resolve(Integer.toString(vmid));
        Path ns = ct.resolve("ns");
        List<Path> created = new ArrayList<>();
        Process busy = null;
        try {
            removeQuietly(ns);
            removeQuietly(ct);
            for (Path d : List.of(lxc, ct, ns)) {
                if (!Files.isDirectory(d)) {
                    try {
                        Files.createDirectory(d);
                    } catch (IOException e) {
                        throw CannotRunHere.because("this machine does not let the test create cgroup " + d + ": " + e);
                    }
                    created.add(d);
                }
            }
            busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
            try {
                Files.writeString(ns.resolve("cgroup.procs"), busy.pid() + "\n");
            } catch (IOException e) {
                throw CannotRunHere.because("cannot move a process into " + ns + ": " + e);
            }
            Path pve = Files.createDirectories(dir.resolve("pve"));
            Files.writeString(pve.resolve(vmid + ".conf"), "cores: 1\nmemory: 512\n");
            CollectorSettings settings = new CollectorSettings(cgroupRoot, pve, Path.of("/proc"),
                    Files.createDirectories(dir.resolve("net")), true, true, true, List.of());
            Collector collector = new Collector(settings, Clock.systemUTC());

            collector.collect();
            Duration cpuBefore = busy.info().totalCpuDuration().orElseThrow();
            Thread.sleep(2_000);
            JsonNode snapshot = collector.collect();
            Duration cpuAfter = busy.info().totalCpuDuration().orElseThrow();

            JsonNode sample = snapshot.get(Integer.toString(vmid));
            assertThat(sample).as("snapshot %s", snapshot).isNotNull();
            assertThat(snapshot.at("/summary/cgroup_version").asInt()).isEqualTo(expectedVersion);
            double seconds = sample.get("interval_seconds").asDouble();
            double monitorCores = sample.at("/cpu/used_cores").asDouble();
            double kernelCores = (cpuAfter.minus(cpuBefore).toNanos() / 1e9) / seconds;
            System.out.printf("cgroup v%d %s: monitor %.3f cores, kernel per-process %.3f cores over %.2f s%n",
                    expectedVersion, ct, monitorCores, kernelCores, seconds);
            // The process's own CPU time is the independent truth; on a machine shared with other jobs a
            // busy loop can get less than a whole core, which the monitor must then report too.
            assertThat(monitorCores).isCloseTo(kernelCores, within(0.15 * Math.max(kernelCores, 0.2)));
            if (kernelCores >= 0.9) {
                assertThat(monitorCores).isCloseTo(1.0, within(0.15));
                assertThat(sample.get("cpu_usage_percent").asDouble()).as("of cores: 1").isCloseTo(100.0, within(15.0));
            }
            assertThat(sample.at("/cpu/usage_usec").asLong()).isPositive();
            assertThat(sample.get("process_count").asLong()).as("pids.current, or cgroup.procs below ns/").isEqualTo(1);
            if (Files.exists(Path.of("/proc/" + busy.pid() + "/root"))) {
                assertThat(sample.has("filesystem_total_gb")).as("statvfs of /proc/<init pid>/root").isTrue();
            }
        } finally {
            if (busy != null) {
                busy.destroyForcibly();
                busy.waitFor();
            }
            for (int i = created.size() - 1; i >= 0; i--) {
                removeQuietly(created.get(i));
            }
        }
    }

    /** rmdir of a cgroup, retried briefly: the kernel releases it just after its last process is reaped. */
    private static void removeQuietly(Path cgroup) throws InterruptedException {
        for (int attempt = 0; attempt < 20 && Files.isDirectory(cgroup); attempt++) {
            try {
                Files.delete(cgroup);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
    }
}
