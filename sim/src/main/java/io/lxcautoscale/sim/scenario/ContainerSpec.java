package io.lxcautoscale.sim.scenario;

import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.sim.workload.Profile;
import io.lxcautoscale.sim.workload.TraceSample;
import io.lxcautoscale.sim.workload.Traces;
import io.lxcautoscale.sim.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One container of a scenario: its Proxmox configuration, whether it starts running, and its workload
 * (a supplier, so each simulation run starts the workload afresh).
 */
public record ContainerSpec(int vmid, String hostname, Integer cores, double cpulimit, int memoryMb, int swapMb, int diskGb,
                            double diskUsedGb, List<String> tags, boolean running, String lock, String workloadType,
                            Supplier<Workload> workload) {

    private static final List<String> TYPES = List.of("idle", "steady", "diurnal", "bursty", "leak", "trace");
    private static final List<String> LOCKS = List.of("", "backup", "create", "destroyed", "disk", "fstrim", "migrate",
            "mounted", "rollback", "snapshot", "snapshot-delete");

    static ContainerSpec bind(ConfigNode c, long scenarioSeed, Path tracesDir) {
        int vmid = c.getInt("vmid", 100, 100, 999_999_999);
        String hostname = c.getString("hostname", "ct" + vmid);
        if (!hostname.matches("[a-zA-Z0-9]([a-zA-Z0-9\\-.]*[a-zA-Z0-9])?")) {
            c.problem("hostname", hostname, "a DNS name (letters, digits, '-', '.')");
        }
        int coresValue = c.getInt("cores", 0, 0, 8192);
        double cpulimit = c.getDouble("cpulimit", 0, 0, 8192);
        int memoryMb = c.getInt("memory_mb", 512, 16, 1 << 24);
        int swapMb = c.getInt("swap_mb", 512, 0, 1 << 24);
        int diskGb = c.getInt("disk_gb", 8, 1, 1 << 20);
        double diskUsedGb = c.getDouble("disk_used_gb", diskGb * 0.3, 0, diskGb);
        List<String> tags = c.getStringList("tags", List.of()).stream().map(t -> t.toLowerCase(Locale.ROOT)).sorted().toList();
        for (String tag : tags) {
            if (!tag.matches("[a-z0-9_][a-z0-9_\\-+.]*")) {
                c.problem("tags", tag, "tags of [a-z0-9_][a-z0-9_-+.]*");
            }
        }
        boolean running = c.getChoice("status", "running", List.of("running", "stopped")).equals("running");
        String lock = c.getChoice("lock", "", LOCKS);

        ConfigNode w = c.section("workload");
        String type = w.getChoice("type", "idle", TYPES);
        long seed = scenarioSeed * 1_000_003L + vmid;
        Profile profile = new Profile(w.getDouble("memory_mb", Math.min(memoryMb * 0.25, 256), 1, 1 << 24),
                w.getDouble("cache_mb", Math.min(memoryMb * 0.15, 128), 0, 1 << 24),
                w.getDouble("read_kb_per_second", 20, 0, 1e7), w.getDouble("write_kb_per_second", 40, 0, 1e7),
                w.getDouble("net_rx_kb_per_second", 15, 0, 1e7), w.getDouble("net_tx_kb_per_second", 30, 0, 1e7),
                w.getInt("processes", 24, 1, 1_000_000), w.getDouble("jitter", 0.05, 0, 1), seed,
                w.getDouble("tmpfs_mb", 0, 0, 1 << 24));
        Supplier<Workload> workload = switch (type) {
            case "steady" -> {
                double cpu = w.getDouble("cpu_cores", 1.0, 0, 8192);
                yield () -> new Workload.Steady(cpu, profile);
            }
            case "diurnal" -> {
                double min = w.getDouble("min_cores", 0.2, 0, 8192);
                double peak = w.getDouble("peak_cores", 2.0, 0, 8192);
                double period = w.getDouble("period_seconds", 86_400, 1, 1e9);
                double peakAt = w.getDouble("peak_at_seconds", 14 * 3600.0, 0, 1e9);
                double extra = w.getDouble("peak_extra_memory_mb", 0, 0, 1 << 24);
                yield () -> new Workload.Diurnal(min, peak, period, peakAt, extra, profile);
            }
            case "bursty" -> {
                double base = w.getDouble("base_cores", 0.3, 0, 8192);
                double burst = w.getDouble("burst_cores", 3.0, 0, 8192);
                double burstMem = w.getDouble("burst_memory_mb", 256, 0, 1 << 24);
                double seconds = w.getDouble("burst_seconds", 120, 1, 1e7);
                double perHour = w.getDouble("bursts_per_hour", 4, 0, 3600);
                yield () -> new Workload.Bursty(base, burst, burstMem, seconds, perHour, profile);
            }
            case "leak" -> {
                double cpu = w.getDouble("cpu_cores", 0.3, 0, 8192);
                double rate = w.getDouble("leak_mb_per_hour", 600, 0, 1e9);
                double plateau = w.getDouble("plateau_mb", 0, 0, 1 << 24);
                yield () -> new Workload.MemoryLeak(cpu, rate, plateau, profile);
            }
            case "trace" -> {
                String file = w.getString("file", null);
                double sampleSeconds = w.getDouble("sample_seconds", 300, 1, 1e7);
                int start = w.getInt("start_index", 0, 0, Integer.MAX_VALUE);
                double cpuScale = w.getDouble("cpu_scale", 1, 0, 1e4);
                double memScale = w.getDouble("memory_scale", 1, 0, 1e4);
                double planetLabCores = w.getDouble("planetlab_cores", 1, 0.01, 8192);
                List<TraceSample> samples = List.of(new TraceSample(0, 0, -1, -1, -1, -1, -1));
                if (file == null) {
                    w.problem("file", null, "a trace file relative to traces_dir, e.g. bitbrains-rnd-2013-7/vm5.csv.gz");
                } else {
                    Path path = tracesDir.resolve(file).normalize();
                    if (!Files.isRegularFile(path)) {
                        w.problem("file", file, "an existing trace file under traces_dir (" + tracesDir + ")");
                    } else {
                        try {
                            samples = List.copyOf(Traces.load(path, planetLabCores));
                        } catch (RuntimeException e) {
                            w.problem("file", file, "a readable trace: " + e.getMessage());
                        }
                    }
                }
                List<TraceSample> loaded = samples;
                int startIndex = start % loaded.size();
                yield () -> new Workload.TraceReplay(file, loaded, sampleSeconds, startIndex, cpuScale, memScale, profile);
            }
            default -> {
                double cpu = w.getDouble("cpu_cores", 0.02, 0, 8192);
                yield () -> new Workload.Idle(cpu, profile);
            }
        };
        return new ContainerSpec(vmid, hostname, coresValue == 0 ? null : coresValue, cpulimit, memoryMb, swapMb, diskGb,
                diskUsedGb, tags, running, lock, type, workload);
    }
}
