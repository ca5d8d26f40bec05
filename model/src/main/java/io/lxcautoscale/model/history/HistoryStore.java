package io.lxcautoscale.model.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.metrics.SampleFields;
import io.lxcautoscale.common.metrics.SampleRow;
import io.lxcautoscale.common.metrics.SampleRowDecoder;
import io.lxcautoscale.common.metrics.Snapshot;
import java.time.Instant;
import java.time.ZoneId;
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
 * that stopped reporting. Samples arrive as primitive rows ({@link #decoder}: straight from the metrics
 * file, no JSON tree) or as JSON trees, read through the same {@link SampleFields}. Timestamps without
 * an offset (the original's naive local times) are read in the zone given (the host's by default).
 */
public final class HistoryStore {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

    private final int rowsPerContainer;
    private final int stepSeconds;
    private final int stepsPerContainer;
    private final Map<String, ContainerHistory> histories = new LinkedHashMap<>();
    /** Last cumulative counters per container, for rates from legacy samples. */
    private final Map<String, double[]> lastCounters = new HashMap<>();
    private final ZoneId zone;
    /** Reads the samples handed over as JSON trees. */
    private final SampleRowDecoder treeRows;
    /** The signal values of the row being added (copied by {@link ContainerHistory#append}). */
    private final double[] values = new double[Signal.ALL.length];
    private long badSamples;

    /**
     * @param rowsPerContainer  raw rows kept per container
     * @param stepSeconds       policy step length
     * @param stepsPerContainer policy steps kept per container
     */
    public HistoryStore(int rowsPerContainer, int stepSeconds, int stepsPerContainer) {
        this(rowsPerContainer, stepSeconds, stepsPerContainer, ZoneId.systemDefault());
    }

    /** As {@link #HistoryStore(int, int, int)}, offset-less timestamps read in {@code zone}. */
    public HistoryStore(int rowsPerContainer, int stepSeconds, int stepsPerContainer, ZoneId zone) {
        this.rowsPerContainer = rowsPerContainer;
        this.stepSeconds = stepSeconds;
        this.stepsPerContainer = stepsPerContainer;
        this.zone = zone;
        this.treeRows = new SampleRowDecoder(SampleColumns.FIELDS, zone, row -> add(row));
    }

    /**
     * A decoder for {@link io.lxcautoscale.common.metrics.MetricsReader#poll(io.lxcautoscale.common.metrics.SnapshotDecoder)}
     * that adds every container sample of each snapshot read straight to this store; {@code onRowAdded}
     * runs once per row added.
     */
    public SampleRowDecoder decoder(Runnable onRowAdded) {
        return new SampleRowDecoder(SampleColumns.FIELDS, zone, row -> {
            if (add(row)) {
                onRowAdded.run();
            }
        });
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

    /** Adds one container sample given as a JSON tree; a sample without a usable timestamp is counted and skipped. */
    public boolean add(String vmid, JsonNode sample) {
        return add(treeRows.fromTree(vmid, sample));
    }

    /** Adds one container sample; a sample without a usable timestamp is counted and skipped. */
    public boolean add(SampleRow row) {
        String vmid = row.vmid();
        if (!row.hasTime()) {
            if (badSamples++ < 20) {
                LOG.warn("metrics: container {}: sample without a valid timestamp skipped ({})", vmid, row.timestampProblem());
            }
            return false;
        }
        ContainerHistory history = histories.get(vmid);
        if (history != null && history.hostname() != null && SampleColumns.hasHostname(row)
                && !SampleColumns.hostnameIs(row, history.hostname())) {
            LOG.info("container {}: hostname changed from {} to {}; VMID reused, history restarted", vmid, history.hostname(),
                    SampleColumns.hostname(row));
            history = null;
            lastCounters.remove(vmid);
        }
        if (history == null) {
            history = new ContainerHistory(vmid, SampleColumns.hostname(row), rowsPerContainer, stepSeconds, stepsPerContainer);
            histories.put(vmid, history);
        }
        long time = row.epochSecond();
        SampleColumns.levels(row, values);
        if (!SampleColumns.hasRates(row)) {
            // the original's files: cumulative counters only, so take deltas ourselves (never the raw counter)
            double[] now = SampleColumns.counters(row, time);
            double[] before = lastCounters.put(vmid, now);
            Signal[] targets = {Signal.NET_RX_BYTES_PER_S, Signal.NET_TX_BYTES_PER_S, Signal.DISK_READ_BYTES_PER_S, Signal.DISK_WRITE_BYTES_PER_S};
            for (int i = 0; i < targets.length; i++) {
                double rate = Double.NaN;
                if (before != null && now[0] > before[0] && now[i + 1] >= before[i + 1]) {
                    rate = (now[i + 1] - before[i + 1]) / (now[0] - before[0]);
                }
                values[targets[i].ordinal()] = rate;
            }
        }
        return history.append(time, values);
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

    /**
     * Puts the steps another node's model kept for a container in front of its history here (after a migration);
     * refused when the hostnames differ (the VMID was reused) or the container has no sample here yet.
     *
     * @return the steps taken
     */
    public int adoptEarlierSteps(StepHistory earlier) {
        ContainerHistory history = histories.get(earlier.vmid());
        if (history == null) {
            return 0;
        }
        if (earlier.hostname() != null && history.hostname() != null && !earlier.hostname().equals(history.hostname())) {
            LOG.info("container {}: the steps offered are of hostname {}, not {}; not taken", earlier.vmid(), earlier.hostname(),
                    history.hostname());
            return 0;
        }
        return history.prependSteps(earlier);
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
}
