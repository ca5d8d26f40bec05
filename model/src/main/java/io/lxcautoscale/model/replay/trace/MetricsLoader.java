package io.lxcautoscale.model.replay.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsReader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a monitor's {@code lxc_metrics.json} (JSON Lines, or the original's single array) into one trace
 * per container: CPU demand = {@code cpu.used_cores} (legacy: {@code cpu_usage_percent / 100 × cores}),
 * memory demand = {@code memory.used_mb} (legacy: {@code memory_usage_mb}), provisioned size = the
 * allocation in the container's first sample, else {@code --cores}/{@code --memory-mb}.
 *
 * <p>A metrics file records usage, which is already capped by the allocation it ran under, so the
 * replay sees the demand the container could show, not what it would have used with more room.
 */
public final class MetricsLoader {
    private MetricsLoader() {
    }

    /** One container sample, before the step is known. */
    private record Row(String where, long t, double cores, double cpu, double memCap, double mem) {
    }

    /**
     * Reads every snapshot of {@code file}.
     *
     * @param fallbackCores    provisioned cores when a container's first sample records none (0 = none given)
     * @param fallbackMemoryMb provisioned MiB when a container's first sample records none (0 = none given)
     */
    public static List<Trace> load(Path file, int fallbackCores, int fallbackMemoryMb, SkipReport skips)
            throws IOException {
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        Map<String, double[]> provisioned = new LinkedHashMap<>();
        String fileName = file.getFileName().toString();
        long[] snapshotNo = {0};
        try (MetricsReader reader = new MetricsReader(file)) {
            reader.poll(snapshot -> {
                snapshotNo[0]++;
                double hostCpus = number(snapshot.summary(), "host_cpus");
                snapshot.containers().forEach((vmid, sample) -> {
                    String where = fileName + " snapshot " + snapshotNo[0] + " container " + vmid;
                    double[] prov = provisioned.computeIfAbsent(vmid, k -> provisionedSize(sample, hostCpus,
                            fallbackCores, fallbackMemoryMb));
                    if (!(prov[0] >= 1) || !(prov[1] >= 1)) {
                        return; // the whole trace is skipped below, with its reason
                    }
                    Row row = toRow(where, sample, prov, skips);
                    if (row != null) {
                        rows.computeIfAbsent(vmid, k -> new ArrayList<>()).add(row);
                    }
                });
            });
            if (reader.corruptLines() > 0) {
                for (long i = 0; i < reader.corruptLines(); i++) {
                    skips.row("corrupt metrics line", fileName);
                }
            }
        }
        long step = medianStep(rows);
        List<Trace> traces = new ArrayList<>();
        for (Map.Entry<String, double[]> e : provisioned.entrySet()) {
            double[] prov = e.getValue();
            if (!(prov[0] >= 1) || !(prov[1] >= 1)) {
                skips.trace("no allocation recorded (give --cores and --memory-mb)", fileName + " container " + e.getKey());
                continue;
            }
            TraceBuilder b = new TraceBuilder(e.getKey(), step, true, skips);
            for (Row r : rows.getOrDefault(e.getKey(), List.of())) {
                // Every step is replayed against the first sample's size, as docs/reference/replay-scoring.md §1 says.
                b.add(r.where, r.t, prov[0], r.cpu, prov[1], r.mem);
            }
            Trace t = b.build();
            if (t != null) {
                traces.add(t);
            }
        }
        return traces;
    }

    private static double[] provisionedSize(JsonNode sample, double hostCpus, int fallbackCores, int fallbackMemoryMb) {
        JsonNode alloc = sample.path("allocation");
        double cores = number(alloc, "cores");
        if (!Double.isFinite(cores) && alloc.isObject()) {
            cores = hostCpus; // no "cores" in the CT config = all host CPUs
        }
        double mem = number(alloc, "memory_mb");
        if (!Double.isFinite(cores) && fallbackCores > 0) {
            cores = fallbackCores;
        }
        if (!Double.isFinite(mem) && fallbackMemoryMb > 0) {
            mem = fallbackMemoryMb;
        }
        return new double[] {cores, mem};
    }

    private static Row toRow(String where, JsonNode sample, double[] prov, SkipReport skips) {
        JsonNode ts = sample.get("timestamp");
        if (ts == null || !ts.isTextual()) {
            skips.row("missing timestamp", where);
            return null;
        }
        long t;
        try {
            t = MetricTime.parse(ts.asText()).getEpochSecond();
        } catch (DateTimeParseException e) {
            skips.row("unparsable timestamp", where);
            return null;
        }
        double cpu = number(sample.path("cpu"), "used_cores");
        if (!Double.isFinite(cpu)) {
            double percent = number(sample, "cpu_usage_percent");
            double effective = number(sample.path("allocation"), "effective_cpus");
            cpu = percent / 100.0 * (Double.isFinite(effective) ? effective : prov[0]);
        }
        double mem = number(sample.path("memory"), "used_mb");
        if (!Double.isFinite(mem)) {
            mem = number(sample, "memory_usage_mb");
        }
        if (!Double.isFinite(cpu) || !Double.isFinite(mem)) {
            // e.g. the first sample after a start, whose rate is unknown and therefore absent
            skips.row("no CPU or memory value", where);
            return null;
        }
        return new Row(where, t, prov[0], cpu, prov[1], mem);
    }

    private static long medianStep(Map<String, List<Row>> rows) {
        List<Long> deltas = new ArrayList<>();
        for (List<Row> list : rows.values()) {
            for (int i = 1; i < list.size(); i++) {
                long d = list.get(i).t - list.get(i - 1).t;
                if (d > 0) {
                    deltas.add(d);
                }
            }
        }
        if (deltas.isEmpty()) {
            return 60;
        }
        long[] a = deltas.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }

    private static double number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
