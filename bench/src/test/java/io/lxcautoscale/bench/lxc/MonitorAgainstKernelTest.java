package io.lxcautoscale.bench.lxc;

import static io.lxcautoscale.bench.lxc.LxcHost.blkio;
import static io.lxcautoscale.bench.lxc.LxcHost.cgroup;
import static io.lxcautoscale.bench.lxc.LxcHost.keyed;
import static io.lxcautoscale.bench.lxc.LxcHost.number;
import static io.lxcautoscale.bench.lxc.LxcHost.veth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's collector reading two real busybox containers on this machine's kernel, compared with the kernel's
 * own counters read directly by the test. The collector's monotonic clock is the test's: the window it divides by
 * is the window over which the test took the kernel's delta.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorAgainstKernelTest {
    private static final int BUSY = 9101;
    private static final int SMALL = 9102;
    private static final double MIB = 1024.0 * 1024;

    @TempDir
    static Path work;

    private LxcHost host;
    private Collector collector;
    private final AtomicLong nanos = new AtomicLong();

    @BeforeAll
    void startContainers() throws Exception {
        RealContainers.require();
        host = new LxcHost(work, List.of(new LxcHost.Spec(BUSY, 1, 512, 0, 262144), new LxcHost.Spec(SMALL, 1, 128, 0)));
        try {
            host.start();
        } catch (Exception e) {
            host.close();
            throw e;
        }
        collector = new Collector(new CollectorSettings(LxcHost.CGROUP, host.confDir(), Path.of("/proc"), Path.of("/sys/class/net"),
                true, true, true, List.of()), Clock.systemUTC(), nanos::get);
    }

    @AfterAll
    void destroyContainers() {
        if (host != null) {
            host.close();
        }
    }

    private JsonNode collect(int vmid) {
        nanos.set(System.nanoTime());
        JsonNode sample = collector.collect().get(Integer.toString(vmid));
        assertThat(sample).as("a sample of running container %d", vmid).isNotNull();
        return sample;
    }

    @Test
    void cpuUsedIsWithinFivePercentOfTheKernelsCpuacctDeltaOverTheSameWindow() throws Exception {
        host.spawn(BUSY, "busy.sh");
        // a first cycle loads the collector's classes and finds the layout: the measured cycles then take as long
        // from the clock reading to the file read at both ends of the window
        collect(BUSY);
        Thread.sleep(500);
        Path usage = cgroup("cpuacct", BUSY, "cpuacct.usage");
        long k0 = number(usage);
        long t0 = System.nanoTime();
        nanos.set(t0);
        collector.collect();
        Thread.sleep(2000);
        long k1 = number(usage);
        long t1 = System.nanoTime();
        nanos.set(t1);
        JsonNode sample = collector.collect().get(Integer.toString(BUSY));
        double kernelCores = (k1 - k0) / (double) (t1 - t0); // ns of CPU per ns of wall time
        double monitorCores = sample.at("/cpu/used_cores").asDouble();
        System.out.printf("CPU over %.2f s: kernel %.4f cores, monitor %.4f cores%n", (t1 - t0) / 1e9, kernelCores, monitorCores);
        // cpuunits 262144 (the highest weight) gives the loop most of its one CPU even on a busy machine
        assertThat(kernelCores).as("the busy loop ran, within its one-CPU cpuset").isBetween(0.5, 1.02);
        assertThat(Math.abs(monitorCores - kernelCores)).as("monitor %.4f vs kernel %.4f cores", monitorCores, kernelCores)
                .isLessThanOrEqualTo(0.05 * kernelCores);
        host.attach(BUSY, "kill $(ps | grep '[b]usy.sh' | cut -c1-5)");
    }

    @Test
    void memorySwapProcessesDiskAndNetworkEqualTheKernelsCounters() throws Exception {
        long writtenBefore = blkio(BUSY, "blkio.throttle.io_service_bytes_recursive", "Write");
        host.spawn(BUSY, "hold.sh", "50000000");
        host.attach(BUSY, "dd if=/dev/zero of=/written bs=1M count=8 conv=fsync 2>/dev/null");
        long hostRxBefore = veth(BUSY, "rx_bytes");
        // 20 echo requests of 1000 data bytes: each at least 1000 + 8 (ICMP) + 20 (IP) + 14 (Ethernet) bytes on the wire
        host.attach(BUSY, "ping -c 20 -i 0.05 -s 1000 -q " + LxcHost.hostAddress(BUSY) + " >/dev/null");
        assertThat(veth(BUSY, "rx_bytes") - hostRxBefore).as("the host side received the pings").isGreaterThanOrEqualTo(20 * 1042);
        assertThat(blkio(BUSY, "blkio.throttle.io_service_bytes_recursive", "Write") - writtenBefore)
                .as("the kernel counted the 8 MiB written with fsync").isGreaterThanOrEqualTo(8L << 20);
        host.awaitHeld(BUSY, 30);

        // The kernel's figures just before and just after the sample; when nothing moved in between, the monitor's
        // figures must be exactly the kernel's. Something moving (a page of cache, a kernel thread) makes it try again.
        for (int attempt = 1; attempt <= 10; attempt++) {
            Kernel before = Kernel.read(BUSY);
            JsonNode s = collect(BUSY);
            Kernel after = Kernel.read(BUSY);
            if (!before.equals(after)) {
                System.out.println("kernel counters moved during sample " + attempt + ": " + before + " -> " + after);
                continue;
            }
            System.out.println("kernel: " + before + "\nmonitor: " + s);
            assertThat(s.get("memory_usage_mb").asDouble()).as("usage_in_bytes - total_cache")
                    .isEqualTo(Math.round((before.usage - before.cache) / MIB * 100) / 100.0);
            assertThat(before.usage - before.cache).as("the 50 MB holder is in the container's memory").isGreaterThan(50_000_000);
            assertThat(s.get("swap_usage_mb").asDouble()).as("memsw.usage - usage")
                    .isEqualTo(Math.round((before.memsw - before.usage) / MIB * 100) / 100.0);
            assertThat(s.get("process_count").asLong()).as("tasks in lxc/%d and below", BUSY).isEqualTo(before.tasks);
            assertThat(s.at("/io/write_bytes").asLong()).isEqualTo(before.written);
            assertThat(s.at("/io/read_bytes").asLong()).isEqualTo(before.read);
            assertThat(s.at("/network_usage/rx_bytes").asLong()).as("container rx = host tx").isEqualTo(before.hostTx);
            assertThat(s.at("/network_usage/tx_bytes").asLong()).as("container tx = host rx").isEqualTo(before.hostRx);
            return;
        }
        fail("the kernel's counters never stood still over one sample in 10 attempts");
    }

    @Test
    void anOomKillInsideTheContainerAppearsInTheNextSample() throws Exception {
        collect(SMALL);
        long nsKillsBefore = keyed(cgroup("memory", SMALL, "ns/memory.oom_control"), "oom_kill");
        // 300 MB in a container limited to 128 MiB: the kernel kills the holder
        int exit = host.attachExit(SMALL, "sh /lxcas/hold.sh 300000000");
        long outerKills = keyed(cgroup("memory", SMALL, "memory.oom_control"), "oom_kill");
        long nsKills = keyed(cgroup("memory", SMALL, "ns/memory.oom_control"), "oom_kill") - nsKillsBefore;
        System.out.println("OOM: holder exit " + exit + ", kills counted in lxc/" + SMALL + ": " + outerKills + ", in ns: " + nsKills);
        assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(nsKills).as("kills counted in the victim's cgroup, lxc/%d/ns", SMALL).isGreaterThanOrEqualTo(1);
        JsonNode s = collect(SMALL);
        assertThat(s.at("/memory/events/oom_kill").asLong()).as("OOM kills in the next sample").isEqualTo(nsKills + outerKills);
    }

    /** The kernel's counters for one container, read straight from its cgroup and veth files. */
    private record Kernel(long usage, long cache, long memsw, long tasks, long written, long read, long hostRx, long hostTx) {
        static Kernel read(int vmid) {
            Path memory = cgroup("memory", vmid, "");
            return new Kernel(number(memory.resolve("memory.usage_in_bytes")), keyed(memory.resolve("memory.stat"), "total_cache"),
                    number(memory.resolve("memory.memsw.usage_in_bytes")), tasks(cgroup("pids", vmid, "")),
                    blkio(vmid, "blkio.throttle.io_service_bytes_recursive", "Write"),
                    blkio(vmid, "blkio.throttle.io_service_bytes_recursive", "Read"), veth(vmid, "rx_bytes"), veth(vmid, "tx_bytes"));
        }

        /** Lines of every {@code tasks} file at and below {@code dir}: one per thread. */
        private static long tasks(Path dir) {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(p -> p.getFileName().toString().equals("tasks")).mapToLong(p -> {
                    try {
                        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).count();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
