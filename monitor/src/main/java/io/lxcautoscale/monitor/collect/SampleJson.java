package io.lxcautoscale.monitor.collect;

import static io.lxcautoscale.common.read.ByteText.ABSENT;
import static io.lxcautoscale.common.read.ByteText.UNLIMITED;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lxcautoscale.common.proxmox.ContainerConfig;
import java.io.IOException;

/**
 * Writes a container's sample from its previous and current raw figures straight onto the snapshot's streaming
 * JSON generator (no tree is built), with the keys, key order and units of {@code docs/metrics-format.md}. Deltas and rates need both samples and a counter that did not go
 * backwards; otherwise they are left out, never written as 0 or negative.
 */
final class SampleJson {
    private static final double MIB = 1024.0 * 1024.0;
    private static final double GIB = MIB * 1024.0;

    private final CollectorSettings settings;
    private final SparseObjects objects = new SparseObjects();

    SampleJson(CollectorSettings settings) {
        this.settings = settings;
    }

    /**
     * Writes the sample as the field {@code key} of the snapshot object being written on {@code g}.
     *
     * @param restarted  the container restarted since the previous sample (counters reset): no deltas
     * @param config     its allocation, or null when its config could not be read
     * @param hostCpus   CPUs of the host (0 when unknown)
     */
    void write(JsonGenerator g, String key, String timestamp, RawCounters prev, RawCounters cur, boolean restarted,
               ContainerConfig config, int hostCpus) throws IOException {
        SparseObjects s = objects;
        s.on(g);
        s.open(key);
        s.field("timestamp", timestamp);
        boolean paired = prev.readNanos != 0 && !restarted && cur.readNanos > prev.readNanos;
        double seconds = paired ? (cur.readNanos - prev.readNanos) / 1e9 : 0;
        if (paired) {
            s.field("interval_seconds", round(seconds, 3));
        }

        double effectiveCpus = effectiveCpus(config, hostCpus);
        long cpuDelta = paired ? delta(prev.cpuUsageUsec, cur.cpuUsageUsec) : ABSENT;
        double usedCores = cpuDelta >= 0 ? cpuDelta / 1e6 / seconds : Double.NaN;
        double percentOfAllocation = usedCores >= 0 && effectiveCpus > 0 ? usedCores / effectiveCpus * 100 : Double.NaN;
        if (!Double.isNaN(percentOfAllocation)) {
            s.field("cpu_usage_percent", round(percentOfAllocation, 2));
        }

        long usedBytes = cur.usedBytes();
        if (usedBytes >= 0) {
            s.field("memory_usage_mb", mb(usedBytes));
        }
        if (settings.swap()) {
            if (cur.swapCurrentBytes >= 0) {
                s.field("swap_usage_mb", mb(cur.swapCurrentBytes));
            }
            if (config != null) {
                s.field("swap_total_mb", (double) config.swapMb());
            } else if (cur.swapMaxBytes >= 0 && cur.swapMaxBytes != UNLIMITED) {
                s.field("swap_total_mb", mb(cur.swapMaxBytes));
            }
        }
        if (cur.pids >= 0 && cur.pids != UNLIMITED) {
            s.field("process_count", cur.pids);
        }
        if (cur.ioReadBytes >= 0 && cur.ioWriteBytes >= 0) {
            s.open("io_stats");
            s.field("reads", cur.ioReadBytes / 512);
            s.field("writes", cur.ioWriteBytes / 512);
            s.close();
        }
        if (settings.network() && cur.netRxBytes >= 0) {
            s.open("network_usage");
            s.field("rx_bytes", cur.netRxBytes);
            s.field("tx_bytes", cur.netTxBytes);
            s.close();
        }
        if (settings.filesystem() && cur.fsTotalBytes > 0) {
            s.field("filesystem_usage_gb", round((cur.fsTotalBytes - cur.fsFreeBytes) / GIB, 3));
            s.field("filesystem_total_gb", round(cur.fsTotalBytes / GIB, 3));
            s.field("filesystem_free_gb", round(cur.fsAvailableBytes / GIB, 3));
        }

        s.open("allocation");
        if (config != null) {
            if (config.cores() != null) {
                s.field("cores", (int) config.cores());
            }
            s.field("cpulimit", config.cpulimit());
        }
        if (effectiveCpus > 0) {
            s.field("effective_cpus", effectiveCpus);
        }
        String boundBy = cpuBoundBy(config, hostCpus);
        if (boundBy != null) {
            s.field("cpu_bound_by", boundBy);
        }
        if (config != null) {
            s.field("memory_mb", config.memoryMb());
            s.field("swap_mb", config.swapMb());
            JsonGenerator tags = s.generator();
            tags.writeArrayFieldStart("tags");
            for (String tag : config.tags()) {
                tags.writeString(tag);
            }
            tags.writeEndArray();
            if (config.lock() != null) {
                s.field("lock", config.lock());
            }
            if (config.hostname() != null) {
                s.field("hostname", config.hostname());
            }
        }
        s.close();

        s.open("cpu");
        if (!Double.isNaN(usedCores)) {
            s.field("used_cores", round(usedCores, 4));
            if (!Double.isNaN(percentOfAllocation)) {
                s.field("percent_of_allocation", round(percentOfAllocation, 2));
            }
            if (hostCpus > 0) {
                s.field("percent_of_host", round(usedCores / hostCpus * 100, 2));
            }
        }
        putCounter(s, "usage_usec", cur.cpuUsageUsec);
        if (paired) {
            putDelta(s, "nr_periods", prev.nrPeriods, cur.nrPeriods);
            putDelta(s, "nr_throttled", prev.nrThrottled, cur.nrThrottled);
            putDelta(s, "throttled_usec", prev.throttledUsec, cur.throttledUsec);
            if ("cpulimit".equals(boundBy)) {
                // only cpu.max throttles: for a cpuset-bound container the share would always read 0
                long periods = delta(prev.nrPeriods, cur.nrPeriods);
                long throttled = delta(prev.nrThrottled, cur.nrThrottled);
                if (periods > 0 && throttled >= 0) {
                    s.field("throttled_share", round(Math.min(1, (double) throttled / periods), 4));
                }
            }
        }
        s.close();

        s.open("memory");
        if (usedBytes >= 0) {
            s.field("used_mb", mb(usedBytes));
        }
        putMb(s, "current_mb", cur.memoryCurrentBytes);
        putMb(s, "file_mb", cur.memoryFileBytes);
        putMb(s, "anon_mb", cur.memoryAnonBytes);
        putMb(s, "shmem_mb", cur.memoryShmemBytes);
        putMb(s, "kernel_mb", cur.memoryKernelBytes);
        putMb(s, "unreclaimable_mb", cur.unreclaimableBytes());
        putMb(s, "max_mb", cur.memoryMaxBytes);
        putMb(s, "high_mb", cur.memoryHighBytes);
        if (settings.swap()) {
            putMb(s, "swap_mb", cur.swapCurrentBytes);
            putMb(s, "swap_max_mb", cur.swapMaxBytes);
        }
        if (paired) {
            s.open("events");
            putDelta(s, "high", prev.eventsHigh, cur.eventsHigh);
            putDelta(s, "max", prev.eventsMax, cur.eventsMax);
            putDelta(s, "oom", prev.eventsOom, cur.eventsOom);
            putDelta(s, "oom_kill", prev.eventsOomKill, cur.eventsOomKill);
            s.close();
        }
        s.close();

        s.open("pressure");
        s.open("cpu");
        putPressure(s, cur.cpuSomeAvg10, cur.cpuFullAvg10);
        putPressureTotal(s, paired, prev.cpuSomeTotalUsec, cur.cpuSomeTotalUsec, seconds);
        s.close();
        s.open("memory");
        putPressure(s, cur.memorySomeAvg10, cur.memoryFullAvg10);
        putPressureTotal(s, paired, prev.memorySomeTotalUsec, cur.memorySomeTotalUsec, seconds);
        s.close();
        s.open("io");
        putPressure(s, cur.ioSomeAvg10, cur.ioFullAvg10);
        s.close();
        s.close();

        s.open("io");
        putCounter(s, "read_bytes", cur.ioReadBytes);
        putCounter(s, "write_bytes", cur.ioWriteBytes);
        putCounter(s, "read_ops", cur.ioReadOps);
        putCounter(s, "write_ops", cur.ioWriteOps);
        s.close();

        if (paired) {
            s.open("rates");
            if (settings.network() && cur.sameNetInterfaces(prev)) {
                putRate(s, "net_rx_bytes_per_s", prev.netRxBytes, cur.netRxBytes, seconds);
                putRate(s, "net_tx_bytes_per_s", prev.netTxBytes, cur.netTxBytes, seconds);
            }
            putRate(s, "disk_read_bytes_per_s", prev.ioReadBytes, cur.ioReadBytes, seconds);
            putRate(s, "disk_write_bytes_per_s", prev.ioWriteBytes, cur.ioWriteBytes, seconds);
            putRate(s, "disk_read_ops_per_s", prev.ioReadOps, cur.ioReadOps, seconds);
            putRate(s, "disk_write_ops_per_s", prev.ioWriteOps, cur.ioWriteOps, seconds);
            s.close();
        }
        s.close();
    }

    /** min(cores, or all host CPUs; cpulimit when set), as Proxmox's {@code cpus} figure. */
    static double effectiveCpus(ContainerConfig config, int hostCpus) {
        double cpus = hostCpus;
        if (config != null) {
            if (config.cores() != null) {
                cpus = hostCpus > 0 ? Math.min(config.cores(), hostCpus) : config.cores();
            }
            if (config.cpulimit() > 0 && (cpus <= 0 || config.cpulimit() < cpus)) {
                cpus = config.cpulimit();
            }
        }
        return cpus;
    }

    /**
     * Which limit caps the container's CPU: {@code "cpulimit"} when {@code cpu.max} is below its cpuset (only then
     * can it be throttled), else {@code "cores"} (the cpuset of {@code cores}, or of every host CPU without it);
     * null when the config is unknown.
     */
    static String cpuBoundBy(ContainerConfig config, int hostCpus) {
        if (config == null) {
            return null;
        }
        double cpuset = config.cores() != null ? (hostCpus > 0 ? Math.min(config.cores(), hostCpus) : config.cores()) : hostCpus;
        if (config.cpulimit() > 0 && (cpuset <= 0 || config.cpulimit() < cpuset)) {
            return "cpulimit";
        }
        return "cores";
    }

    /** {@code some_total_usec} (cumulative) and, over the interval, {@code some_percent} = stalled share of wall time. */
    private static void putPressureTotal(SparseObjects p, boolean paired, long prev, long cur, double seconds) throws IOException {
        if (cur < 0 || cur == UNLIMITED) {
            return;
        }
        p.field("some_total_usec", cur);
        long d = paired ? delta(prev, cur) : ABSENT;
        if (d >= 0 && seconds > 0) {
            p.field("some_percent", round(Math.min(100, d / (seconds * 1e6) * 100), 2));
        }
    }

    /** cur − prev, or ABSENT when either is unknown or the counter went backwards (reset). */
    static long delta(long prev, long cur) {
        if (prev < 0 || cur < 0 || prev == UNLIMITED || cur == UNLIMITED || cur < prev) {
            return ABSENT;
        }
        return cur - prev;
    }

    private static void putDelta(SparseObjects node, String key, long prev, long cur) throws IOException {
        long d = delta(prev, cur);
        if (d >= 0) {
            node.field(key, d);
        }
    }

    private static void putRate(SparseObjects node, String key, long prev, long cur, double seconds) throws IOException {
        long d = delta(prev, cur);
        if (d >= 0 && seconds > 0) {
            node.field(key, round(d / seconds, 1));
        }
    }

    private static void putCounter(SparseObjects node, String key, long value) throws IOException {
        if (value >= 0 && value != UNLIMITED) {
            node.field(key, value);
        }
    }

    private static void putMb(SparseObjects node, String key, long bytes) throws IOException {
        if (bytes >= 0 && bytes != UNLIMITED) {
            node.field(key, mb(bytes));
        }
    }

    /** The {@code avg10} figures into the pressure object opened for one resource. */
    private static void putPressure(SparseObjects p, double some, double full) throws IOException {
        if (!Double.isNaN(some)) {
            p.field("some_avg10", some);
        }
        if (!Double.isNaN(full)) {
            p.field("full_avg10", full);
        }
    }

    static double mb(long bytes) {
        return round(bytes / MIB, 2);
    }

    static double round(double v, int digits) {
        double scale = digits == 1 ? 10 : digits == 2 ? 100 : digits == 3 ? 1000 : 10000;
        return Math.round(v * scale) / scale;
    }
}
