package io.lxcautoscale.model.observe;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The per-container series the model daemon exports: what each container uses and holds, what the policy
 * recommends and within which bounds, its OOM kills and the decisions taken for it. Labelled
 * {@code id="lxc/<vmid>"} and {@code node="<node>"} like prometheus-pve-exporter's series, so that the two
 * join. A container's series are removed as soon as it leaves the daemon's histories ({@link #retain}), so
 * cardinality stays bounded by the containers on the node. Updated by the cycle, read by scrapes: every
 * method is synchronized.
 */
public final class ContainerMetrics implements MetricsSource {
    private static final double MIB = 1024.0 * 1024.0;

    /** Usage in the latest sample; NaN where unknown. Ratios are 0..1. */
    public record Usage(double cpuUsedCores, double memoryUsedBytes, double cpuThrottledRatio, double cpuPressureRatio,
                        double memoryPressureRatio) {
    }

    /** The policy's recommendation and the bounds it is kept within, in cores and bytes. */
    public record Recommendation(double targetCores, double lowerBoundCores, double upperBoundCores, double targetBytes,
                                 double lowerBoundBytes, double upperBoundBytes) {
    }

    /** What one cycle knew about a container; null parts are not exported. */
    public record CycleView(Usage usage, Double allocatedCores, Double allocatedBytes, Recommendation recommendation) {
    }

    private record DecisionKey(String resource, String direction, String outcome) implements Comparable<DecisionKey> {
        @Override
        public int compareTo(DecisionKey o) {
            return (resource + direction + outcome).compareTo(o.resource + o.direction + o.outcome);
        }
    }

    private static final class Series {
        CycleView view = new CycleView(null, null, null, null);
        long oomKills;
        final Map<DecisionKey, Long> decisions = new TreeMap<>();
    }

    private final Map<String, Series> series = new TreeMap<>();
    private String node = "";

    /** Converts MiB (the daemon's unit) to bytes (Prometheus' base unit). */
    public static double bytes(double mib) {
        return mib * MIB;
    }

    /** The Proxmox node name (the {@code node} label); from the API's configuration list. */
    public synchronized void node(String name) {
        if (name != null && !name.isBlank()) {
            node = name;
        }
    }

    public synchronized void update(String vmid, CycleView view) {
        series.computeIfAbsent(vmid, k -> new Series()).view = view;
    }

    /** The OOM kills seen for the container since the daemon started (a counter: it never goes down). */
    public synchronized void oomKills(String vmid, long total) {
        Series s = series.computeIfAbsent(vmid, k -> new Series());
        s.oomKills = Math.max(s.oomKills, total);
    }

    /** Counts one change of one resource ({@code cpu}/{@code memory}, {@code up}/{@code down}) and its outcome. */
    public synchronized void decision(String vmid, String resource, String direction, String outcome) {
        series.computeIfAbsent(vmid, k -> new Series()).decisions.merge(new DecisionKey(resource, direction, outcome), 1L, Long::sum);
    }

    /** Removes the series of every container not in {@code vmids}. */
    public synchronized void retain(Collection<String> vmids) {
        Set<String> keep = new HashSet<>(vmids);
        series.keySet().retainAll(keep);
    }

    public synchronized Set<String> containers() {
        return Set.copyOf(series.keySet());
    }

    @Override
    public synchronized void writeTo(PrometheusText out) {
        gauge(out, "lxcas_container_cpu_used_cores", "CPU used by the container in its latest sample, cores.",
                v -> v.usage() == null ? Double.NaN : v.usage().cpuUsedCores());
        gauge(out, "lxcas_container_memory_used_bytes", "Memory used by the container in its latest sample, bytes.",
                v -> v.usage() == null ? Double.NaN : v.usage().memoryUsedBytes());
        gauge(out, "lxcas_container_cpu_allocated_cores", "Cores allocated to the container (host CPUs when unlimited).",
                v -> v.allocatedCores() == null ? Double.NaN : v.allocatedCores());
        gauge(out, "lxcas_container_memory_allocated_bytes", "Memory allocated to the container, bytes.",
                v -> v.allocatedBytes() == null ? Double.NaN : v.allocatedBytes());
        gauge(out, "lxcas_container_cpu_throttled_ratio", "Share of CFS periods throttled in the latest step, 0 to 1.",
                v -> v.usage() == null ? Double.NaN : v.usage().cpuThrottledRatio());
        gauge(out, "lxcas_container_cpu_pressure_ratio", "PSI cpu some avg10 of the container, 0 to 1 (cgroup v2).",
                v -> v.usage() == null ? Double.NaN : v.usage().cpuPressureRatio());
        gauge(out, "lxcas_container_memory_pressure_ratio", "PSI memory some avg10 of the container, 0 to 1 (cgroup v2).",
                v -> v.usage() == null ? Double.NaN : v.usage().memoryPressureRatio());
        recommendation(out, "lxcas_recommendation_target_cores", "Cores the policy recommends (the decision's target).",
                Recommendation::targetCores);
        recommendation(out, "lxcas_recommendation_lower_bound_cores", "Fewest cores the policy may recommend for the container (its tier's min_cpu_cores).",
                Recommendation::lowerBoundCores);
        recommendation(out, "lxcas_recommendation_upper_bound_cores", "Most cores the policy may recommend for the container (its tier's max_cpu_cores).",
                Recommendation::upperBoundCores);
        recommendation(out, "lxcas_recommendation_target_bytes", "Memory the policy recommends (the decision's target), bytes.",
                Recommendation::targetBytes);
        recommendation(out, "lxcas_recommendation_lower_bound_bytes", "Least memory the policy may recommend (its tier's min_ram_mb), bytes.",
                Recommendation::lowerBoundBytes);
        recommendation(out, "lxcas_recommendation_upper_bound_bytes", "Most memory the policy may recommend (its tier's max_ram_mb), bytes.",
                Recommendation::upperBoundBytes);
        out.family("lxcas_container_oom_kills_total", "counter", "OOM kills seen in the container since the daemon started.");
        for (Map.Entry<String, Series> e : series.entrySet()) {
            out.sample(e.getValue().oomKills, "id", id(e.getKey()), "node", node);
        }
        out.family("lxcas_decisions_total", "counter",
                "Changes decided per resource (cpu, memory), direction (up, down) and outcome (applied, failed, dry-run).");
        for (Map.Entry<String, Series> e : series.entrySet()) {
            for (Map.Entry<DecisionKey, Long> d : e.getValue().decisions.entrySet()) {
                out.sample(d.getValue(), "id", id(e.getKey()), "node", node, "resource", d.getKey().resource(),
                        "direction", d.getKey().direction(), "outcome", d.getKey().outcome());
            }
        }
    }

    private void gauge(PrometheusText out, String name, String help, ToDoubleFunction<CycleView> value) {
        out.family(name, "gauge", help);
        for (Map.Entry<String, Series> e : series.entrySet()) {
            double v = value.applyAsDouble(e.getValue().view);
            if (!Double.isNaN(v)) {
                out.sample(v, "id", id(e.getKey()), "node", node);
            }
        }
    }

    private void recommendation(PrometheusText out, String name, String help, ToDoubleFunction<Recommendation> value) {
        gauge(out, name, help, v -> v.recommendation() == null ? Double.NaN : value.applyAsDouble(v.recommendation()));
    }

    /** The pve-exporter's {@code id} of a container. */
    public static String id(String vmid) {
        return "lxc/" + vmid;
    }
}
