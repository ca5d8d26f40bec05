package io.lxcautoscale.monitor.collect;

import static io.lxcautoscale.common.read.ByteText.ABSENT;
import static io.lxcautoscale.common.read.ByteText.UNLIMITED;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.proxmox.ContainerConfig;

/**
 * Turns a container's previous and current raw figures into its sample object, with the keys and units of
 * {@code docs/metrics-format.md}. Deltas and rates need both samples and a counter that did not go
 * backwards; otherwise they are left out, never written as 0 or negative.
 */
final class SampleJson {
    private static final double MIB = 1024.0 * 1024.0;
    private static final double GIB = MIB * 1024.0;

    private final JsonNodeFactory nodes;
    private final CollectorSettings settings;

    SampleJson(JsonNodeFactory nodes, CollectorSettings settings) {
        this.nodes = nodes;
        this.settings = settings;
    }

    /**
     * @param restarted  the container restarted since the previous sample (counters reset): no deltas
     * @param config     its allocation, or null when its config could not be read
     * @param hostCpus   CPUs of the host (0 when unknown)
     */
    ObjectNode build(String timestamp, RawCounters prev, RawCounters cur, boolean restarted, ContainerConfig config,
                     int hostCpus) {
        ObjectNode s = nodes.objectNode();
        s.put("timestamp", timestamp);
        boolean paired = prev.readNanos != 0 && !restarted && cur.readNanos > prev.readNanos;
        double seconds = paired ? (cur.readNanos - prev.readNanos) / 1e9 : 0;
        if (paired) {
            s.put("interval_seconds", round(seconds, 3));
        }

        double effectiveCpus = effectiveCpus(config, hostCpus);
        long cpuDelta = paired ? delta(prev.cpuUsageUsec, cur.cpuUsageUsec) : ABSENT;
        double usedCores = cpuDelta >= 0 ? cpuDelta / 1e6 / seconds : Double.NaN;
        double percentOfAllocation = usedCores >= 0 && effectiveCpus > 0 ? usedCores / effectiveCpus * 100 : Double.NaN;
        if (!Double.isNaN(percentOfAllocation)) {
            s.put("cpu_usage_percent", round(percentOfAllocation, 2));
        }

        long usedBytes = cur.usedBytes();
        if (usedBytes >= 0) {
            s.put("memory_usage_mb", mb(usedBytes));
        }
        if (settings.swap()) {
            if (cur.swapCurrentBytes >= 0) {
                s.put("swap_usage_mb", mb(cur.swapCurrentBytes));
            }
            if (config != null) {
                s.put("swap_total_mb", (double) config.swapMb());
            } else if (cur.swapMaxBytes >= 0 && cur.swapMaxBytes != UNLIMITED) {
                s.put("swap_total_mb", mb(cur.swapMaxBytes));
            }
        }
        if (cur.pids >= 0 && cur.pids != UNLIMITED) {
            s.put("process_count", cur.pids);
        }
        if (cur.ioReadBytes >= 0 && cur.ioWriteBytes >= 0) {
            ObjectNode io = s.putObject("io_stats");
            io.put("reads", cur.ioReadBytes / 512);
            io.put("writes", cur.ioWriteBytes / 512);
        }
        if (settings.network() && cur.netRxBytes >= 0) {
            ObjectNode net = s.putObject("network_usage");
            net.put("rx_bytes", cur.netRxBytes);
            net.put("tx_bytes", cur.netTxBytes);
        }
        if (settings.filesystem() && cur.fsTotalBytes > 0) {
            s.put("filesystem_usage_gb", round((cur.fsTotalBytes - cur.fsFreeBytes) / GIB, 3));
            s.put("filesystem_total_gb", round(cur.fsTotalBytes / GIB, 3));
            s.put("filesystem_free_gb", round(cur.fsAvailableBytes / GIB, 3));
        }

        ObjectNode allocation = s.putObject("allocation");
        if (config != null) {
            if (config.cores() != null) {
                allocation.put("cores", config.cores());
            }
            allocation.put("cpulimit", config.cpulimit());
        }
        if (effectiveCpus > 0) {
            allocation.put("effective_cpus", effectiveCpus);
        }
        String boundBy = cpuBoundBy(config, hostCpus);
        if (boundBy != null) {
            allocation.put("cpu_bound_by", boundBy);
        }
        if (config != null) {
            allocation.put("memory_mb", config.memoryMb());
            allocation.put("swap_mb", config.swapMb());
            ArrayNode tags = allocation.putArray("tags");
            config.tags().forEach(tags::add);
            if (config.lock() != null) {
                allocation.put("lock", config.lock());
            }
            if (config.hostname() != null) {
                allocation.put("hostname", config.hostname());
            }
        }
        removeIfEmpty(s, "allocation");

        ObjectNode cpu = s.putObject("cpu");
        if (!Double.isNaN(usedCores)) {
            cpu.put("used_cores", round(usedCores, 4));
            if (!Double.isNaN(percentOfAllocation)) {
                cpu.put("percent_of_allocation", round(percentOfAllocation, 2));
            }
            if (hostCpus > 0) {
                cpu.put("percent_of_host", round(usedCores / hostCpus * 100, 2));
            }
        }
        putCounter(cpu, "usage_usec", cur.cpuUsageUsec);
        if (paired) {
            putDelta(cpu, "nr_periods", prev.nrPeriods, cur.nrPeriods);
            putDelta(cpu, "nr_throttled", prev.nrThrottled, cur.nrThrottled);
            putDelta(cpu, "throttled_usec", prev.throttledUsec, cur.throttledUsec);
            if ("cpulimit".equals(boundBy)) {
                // only cpu.max throttles: for a cpuset-bound container the share would always read 0
                long periods = delta(prev.nrPeriods, cur.nrPeriods);
                long throttled = delta(prev.nrThrottled, cur.nrThrottled);
                if (periods > 0 && throttled >= 0) {
                    cpu.put("throttled_share", round(Math.min(1, (double) throttled / periods), 4));
                }
            }
        }
        removeIfEmpty(s, "cpu");

        ObjectNode memory = s.putObject("memory");
        if (usedBytes >= 0) {
            memory.put("used_mb", mb(usedBytes));
        }
        putMb(memory, "current_mb", cur.memoryCurrentBytes);
        putMb(memory, "file_mb", cur.memoryFileBytes);
        putMb(memory, "anon_mb", cur.memoryAnonBytes);
        putMb(memory, "shmem_mb", cur.memoryShmemBytes);
        putMb(memory, "kernel_mb", cur.memoryKernelBytes);
        putMb(memory, "unreclaimable_mb", cur.unreclaimableBytes());
        putMb(memory, "max_mb", cur.memoryMaxBytes);
        putMb(memory, "high_mb", cur.memoryHighBytes);
        if (settings.swap()) {
            putMb(memory, "swap_mb", cur.swapCurrentBytes);
            putMb(memory, "swap_max_mb", cur.swapMaxBytes);
        }
        if (paired) {
            ObjectNode events = memory.putObject("events");
            putDelta(events, "high", prev.eventsHigh, cur.eventsHigh);
            putDelta(events, "max", prev.eventsMax, cur.eventsMax);
            putDelta(events, "oom", prev.eventsOom, cur.eventsOom);
            putDelta(events, "oom_kill", prev.eventsOomKill, cur.eventsOomKill);
            removeIfEmpty(memory, "events");
        }
        removeIfEmpty(s, "memory");

        ObjectNode pressure = s.putObject("pressure");
        putPressure(pressure, "cpu", cur.cpuSomeAvg10, cur.cpuFullAvg10);
        putPressureTotal(pressure, "cpu", paired, prev.cpuSomeTotalUsec, cur.cpuSomeTotalUsec, seconds);
        putPressure(pressure, "memory", cur.memorySomeAvg10, cur.memoryFullAvg10);
        putPressureTotal(pressure, "memory", paired, prev.memorySomeTotalUsec, cur.memorySomeTotalUsec, seconds);
        putPressure(pressure, "io", cur.ioSomeAvg10, cur.ioFullAvg10);
        removeIfEmpty(s, "pressure");

        ObjectNode io = s.putObject("io");
        putCounter(io, "read_bytes", cur.ioReadBytes);
        putCounter(io, "write_bytes", cur.ioWriteBytes);
        putCounter(io, "read_ops", cur.ioReadOps);
        putCounter(io, "write_ops", cur.ioWriteOps);
        removeIfEmpty(s, "io");

        if (paired) {
            ObjectNode rates = s.putObject("rates");
            if (settings.network() && cur.sameNetInterfaces(prev)) {
                putRate(rates, "net_rx_bytes_per_s", prev.netRxBytes, cur.netRxBytes, seconds);
                putRate(rates, "net_tx_bytes_per_s", prev.netTxBytes, cur.netTxBytes, seconds);
            }
            putRate(rates, "disk_read_bytes_per_s", prev.ioReadBytes, cur.ioReadBytes, seconds);
            putRate(rates, "disk_write_bytes_per_s", prev.ioWriteBytes, cur.ioWriteBytes, seconds);
            putRate(rates, "disk_read_ops_per_s", prev.ioReadOps, cur.ioReadOps, seconds);
            putRate(rates, "disk_write_ops_per_s", prev.ioWriteOps, cur.ioWriteOps, seconds);
            removeIfEmpty(s, "rates");
        }
        return s;
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
    private static void putPressureTotal(ObjectNode pressure, String key, boolean paired, long prev, long cur, double seconds) {
        if (cur < 0 || cur == UNLIMITED) {
            return;
        }
        ObjectNode p = pressure.has(key) ? (ObjectNode) pressure.get(key) : pressure.putObject(key);
        p.put("some_total_usec", cur);
        long d = paired ? delta(prev, cur) : ABSENT;
        if (d >= 0 && seconds > 0) {
            p.put("some_percent", round(Math.min(100, d / (seconds * 1e6) * 100), 2));
        }
    }

    /** cur − prev, or ABSENT when either is unknown or the counter went backwards (reset). */
    static long delta(long prev, long cur) {
        if (prev < 0 || cur < 0 || prev == UNLIMITED || cur == UNLIMITED || cur < prev) {
            return ABSENT;
        }
        return cur - prev;
    }

    private static void putDelta(ObjectNode node, String key, long prev, long cur) {
        long d = delta(prev, cur);
        if (d >= 0) {
            node.put(key, d);
        }
    }

    private static void putRate(ObjectNode node, String key, long prev, long cur, double seconds) {
        long d = delta(prev, cur);
        if (d >= 0 && seconds > 0) {
            node.put(key, round(d / seconds, 1));
        }
    }

    private static void putCounter(ObjectNode node, String key, long value) {
        if (value >= 0 && value != UNLIMITED) {
            node.put(key, value);
        }
    }

    private static void putMb(ObjectNode node, String key, long bytes) {
        if (bytes >= 0 && bytes != UNLIMITED) {
            node.put(key, mb(bytes));
        }
    }

    private void putPressure(ObjectNode pressure, String key, double some, double full) {
        if (Double.isNaN(some) && Double.isNaN(full)) {
            return;
        }
        ObjectNode p = pressure.putObject(key);
        if (!Double.isNaN(some)) {
            p.put("some_avg10", some);
        }
        if (!Double.isNaN(full)) {
            p.put("full_avg10", full);
        }
    }

    private static void removeIfEmpty(ObjectNode parent, String key) {
        if (parent.get(key).isEmpty()) {
            parent.remove(key);
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
