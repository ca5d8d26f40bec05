package io.lxcautoscale.sim.scenario;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A simulation scenario file: the host, the clock, the stand-ins' latency and the containers with their
 * workloads (format in {@code docs/simulator.md}, example {@code sim/scenarios/default.yaml}).
 *
 * @param seed         makes every workload's randomness repeatable
 * @param speed        simulated seconds per wall second
 * @param tickMs       wall milliseconds between two refreshes of the tree
 * @param pctLatencyMs how long each {@code pct}/{@code pvesh} call takes in total, like the real tools
 * @param tracesDir    the folder of the trace files, resolved against the scenario file's folder
 */
public record Scenario(long seed, double speed, int tickMs, int pctLatencyMs, HostSpec host, Path tracesDir,
                       List<ContainerSpec> containers) {
    /**
     * {@code traces_dir} when a scenario sets none: the trace sample bundled with the repository
     * ({@code traces/}, see {@code traces/README.md}) as seen from a scenario in {@code sim/scenarios/}.
     */
    public static final String DEFAULT_TRACES_DIR = "../../traces";

    /** The simulated host. */
    public record HostSpec(String node, int cpus, long memoryMb, long rootfsGb) {
    }

    /** Loads and validates a scenario file; {@code tracesOverride} (may be null) replaces {@code traces_dir}. */
    public static ConfigLoader.Loaded<Scenario> load(Path file, Path tracesOverride) {
        Path base = file.toAbsolutePath().getParent();
        return ConfigLoader.load(file, root -> bind(root, base, tracesOverride));
    }

    public static Scenario bind(ConfigNode root, Path baseDir, Path tracesOverride) {
        long seed = root.getLong("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        ConfigNode clock = root.section("clock");
        double speed = clock.getDouble("speed", 1.0, 0.01, 10_000);
        int tickMs = clock.getInt("tick_ms", 1000, 50, 60_000);
        int latency = root.section("pct").getInt("latency_ms", 500, 0, 60_000);
        ConfigNode h = root.section("host");
        HostSpec host = new HostSpec(h.getString("node", "pve-sim"), h.getInt("cpus", 8, 1, 8192),
                h.getLong("memory_mb", 32768, 256, 1L << 32), h.getLong("rootfs_gb", 100, 1, 1L << 20));
        if (!host.node().matches("[a-zA-Z0-9][a-zA-Z0-9\\-]*")) {
            h.problem("node", host.node(), "a host name (letters, digits, '-')");
        }
        Path traces = root.getPath("traces_dir", DEFAULT_TRACES_DIR);
        Path tracesDir = tracesOverride != null ? tracesOverride : baseDir.resolve(traces).normalize();
        List<ContainerSpec> containers = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (ConfigNode c : root.sectionList("containers")) {
            ContainerSpec spec = ContainerSpec.bind(c, seed, tracesDir);
            if (!seen.add(spec.vmid())) {
                c.problem("vmid", spec.vmid(), "a VMID not used by another container of this scenario");
            }
            containers.add(spec);
        }
        return new Scenario(seed, speed, tickMs, latency, host, tracesDir, List.copyOf(containers));
    }
}
