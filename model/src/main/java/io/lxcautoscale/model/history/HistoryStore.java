package io.lxcautoscale.model.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.Snapshot;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every container's history, fed snapshot by snapshot from the metrics file. Takes rates from the
 * monitor's {@code rates.*} keys, or computes them from the original's cumulative counters (legacy files);
 * starts a fresh history when a VMID comes back with another hostname (VMID reuse); forgets containers
 * that stopped reporting.
 */
public final class HistoryStore {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

    private final int rowsPerContainer;
    private final int stepSeconds;
    private final int stepsPerContainer;
    private final Map<String, ContainerHistory> histories = new LinkedHashMap<>();
    /** Last cumulative counters per container, for rates from legacy samples. */
    private final Map<String, double[]> lastCounters = new HashMap<>();
    private long badSamples;

    /**
     * @param rowsPerContainer  raw rows kept per container
     * @param stepSeconds       policy step length
     * @param stepsPerContainer policy steps kept per container
     */
    public HistoryStore(int rowsPerContainer, int stepSeconds, int stepsPerContainer) {
        this.rowsPerContainer = rowsPerContainer;
        this.stepSeconds = stepSeconds;
        this.stepsPerContainer = stepsPerContainer;
    }

    /** Adds every container sample of one snapshot; returns the rows added. */
    public int add(Snapshot snapshot) {
        int added = 0;
        for (Map.Entry<String, JsonNode> e : snapshot.containers().entrySet()) {
            if (add(e.getKey(), e.getValue())) {
                added++;
            }
        }
        return added;
    }

    /** Adds one container sample; a sample without a usable timestamp is counted and skipped. */
    public boolean add(String vmid, JsonNode sample) {
        Instant time;
        try {
            time = MetricTime.parse(sample.path("timestamp").asText(""));
        } catch (RuntimeException e) {
            if (badSamples++ < 20) {
                LOG.warn("metrics: container {}: sample without a valid timestamp skipped ({})", vmid, e.getMessage());
            }
            return false;
        }
        String hostname = text(sample.path("allocation").path("hostname"));
        ContainerHistory history = histories.get(vmid);
        if (history != null && hostname != null && history.hostname() != null && !hostname.equals(history.hostname())) {
            LOG.info("container {}: hostname changed from {} to {}; VMID reused, history restarted", vmid, history.hostname(), hostname);
            history = null;
            lastCounters.remove(vmid);
        }
        if (history == null) {
            history = new ContainerHistory(vmid, hostname, rowsPerContainer, stepSeconds, stepsPerContainer);
            histories.put(vmid, history);
        }
        return history.append(time.getEpochSecond(), values(vmid, time, sample));
    }

    private double[] values(String vmid, Instant time, JsonNode s) {
        double[] v = new double[Signal.ALL.length];
        v[Signal.CPU_PERCENT.ordinal()] = first(num(s, "cpu_usage_percent"), num(s, "cpu", "percent_of_allocation"));
        v[Signal.CPU_CORES.ordinal()] = num(s, "cpu", "used_cores");
        v[Signal.MEMORY_MB.ordinal()] = unreclaimableMb(s);
        v[Signal.SWAP_MB.ordinal()] = first(num(s, "swap_usage_mb"), num(s, "memory", "swap_mb"));
        v[Signal.PROCESSES.ordinal()] = num(s, "process_count");
        double periods = num(s, "cpu", "nr_periods");
        double throttled = num(s, "cpu", "nr_throttled");
        v[Signal.THROTTLED_FRACTION.ordinal()] = periods > 0 ? Math.min(1.0, throttled / periods) : (periods == 0 ? 0 : Double.NaN);
        v[Signal.PSI_CPU_SOME.ordinal()] = num(s, "pressure", "cpu", "some_avg10");
        v[Signal.PSI_MEMORY_SOME.ordinal()] = num(s, "pressure", "memory", "some_avg10");
        v[Signal.PSI_IO_SOME.ordinal()] = num(s, "pressure", "io", "some_avg10");
        double high = num(s, "memory", "events", "high");
        double max = num(s, "memory", "events", "max");
        v[Signal.MEMORY_EVENTS.ordinal()] = Double.isNaN(high) && Double.isNaN(max) ? Double.NaN : zero(high) + zero(max);
        v[Signal.OOM_KILLS.ordinal()] = num(s, "memory", "events", "oom_kill");

        JsonNode rates = s.path("rates");
        if (rates.isObject()) {
            v[Signal.NET_RX_BYTES_PER_S.ordinal()] = num(rates, "net_rx_bytes_per_s");
            v[Signal.NET_TX_BYTES_PER_S.ordinal()] = num(rates, "net_tx_bytes_per_s");
            v[Signal.DISK_READ_BYTES_PER_S.ordinal()] = num(rates, "disk_read_bytes_per_s");
            v[Signal.DISK_WRITE_BYTES_PER_S.ordinal()] = num(rates, "disk_write_bytes_per_s");
        } else {
            // the original's files: cumulative counters only, so take deltas ourselves (never the raw counter)
            double[] now = {time.getEpochSecond(), num(s, "network_usage", "rx_bytes"), num(s, "network_usage", "tx_bytes"),
                    num(s, "io_stats", "reads") * 512, num(s, "io_stats", "writes") * 512};
            double[] before = lastCounters.put(vmid, now);
            Signal[] targets = {Signal.NET_RX_BYTES_PER_S, Signal.NET_TX_BYTES_PER_S, Signal.DISK_READ_BYTES_PER_S, Signal.DISK_WRITE_BYTES_PER_S};
            for (int i = 0; i < targets.length; i++) {
                double rate = Double.NaN;
                if (before != null && now[0] > before[0] && now[i + 1] >= before[i + 1]) {
                    rate = (now[i + 1] - before[i + 1]) / (now[0] - before[0]);
                }
                v[targets[i].ordinal()] = rate;
            }
        }
        return v;
    }

    /**
     * The memory the policy counts as used: what cannot be reclaimed without swap. Proxmox's figure
     * ({@code used_mb} = {@code memory.current − file}) leaves out {@code shmem} (tmpfs, shared memory), which
     * cgroup v2 counts inside {@code file} but which cannot be dropped; when the sample carries
     * {@code memory.shmem_mb} it is added back (used + shmem = anon + shmem + kernel). Without it (older
     * monitors, the original's files) the used figure alone.
     */
    static double unreclaimableMb(JsonNode s) {
        double used = first(num(s, "memory_usage_mb"), num(s, "memory", "used_mb"));
        double shmem = num(s, "memory", "shmem_mb");
        return Double.isNaN(used) || Double.isNaN(shmem) || shmem < 0 ? used : used + shmem;
    }

    /** Drops containers whose newest sample is older than {@code cutoffEpochSecond}; returns how many. */
    public int forgetOlderThan(long cutoffEpochSecond) {
        int removed = 0;
        for (Iterator<ContainerHistory> it = histories.values().iterator(); it.hasNext(); ) {
            ContainerHistory h = it.next();
            if (h.lastEpochSecond() < cutoffEpochSecond) {
                LOG.info("container {}: no sample since {}; history forgotten", h.vmid(), Instant.ofEpochSecond(h.lastEpochSecond()));
                lastCounters.remove(h.vmid());
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    public ContainerHistory get(String vmid) {
        return histories.get(vmid);
    }

    public Collection<ContainerHistory> all() {
        return histories.values();
    }

    public long badSamples() {
        return badSamples;
    }

    public long totalRows() {
        long n = 0;
        for (ContainerHistory h : histories.values()) {
            n += h.size();
        }
        return n;
    }

    static double num(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static double first(double a, double b) {
        return Double.isNaN(a) ? b : a;
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
