package io.lxcautoscale.sim.demo;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The demo's terminal view: per container its CPU and memory use (from the simulated cgroup files), its
 * allocation (from its config) and the model's latest decision with the reason.
 */
final class LiveTable {
    private final NodeFiles files;
    private final String node;
    private final DecisionLog decisions;
    private final Map<Integer, long[]> lastCpu = new HashMap<>();
    private final LongSupplier nanoTime;

    /** @param nanoTime the clock the node's counters move by (CPU used = usage µs between two renders / time between them) */
    LiveTable(NodeFiles files, String node, DecisionLog decisions, LongSupplier nanoTime) {
        this.files = files;
        this.node = node;
        this.decisions = decisions;
        this.nanoTime = nanoTime;
    }

    String render(String header, int width) {
        decisions.poll();
        StringBuilder out = new StringBuilder(header).append('\n');
        out.append(String.format("%-5s %-16s %-8s %-14s %-6s %-17s %-4s %s%n", "VMID", "NAME", "STATE", "CPU USED", "CORES",
                "MEM USED/ALLOC", "OOM", "LATEST DECISION (model journal)"));
        NodeState state;
        try {
            state = NodeState.read(files);
        } catch (RuntimeException e) {
            return out.append("(simulated node not ready: ").append(e.getMessage()).append(")\n").toString();
        }
        for (Map.Entry<Integer, GuestConfig> e : configs().entrySet()) {
            int vmid = e.getKey();
            GuestConfig conf = e.getValue();
            NodeState.Ct ct = state.cts.get(vmid);
            boolean running = ct != null && ct.running();
            String cores = conf.get("cores") == null ? "all" : conf.get("cores");
            String cpu = "-";
            String mem = "-/" + conf.memoryMb();
            String oom = "-";
            if (running) {
                Path cg = files.cgroupDir(vmid);
                long usage = flat(read(cg.resolve("cpu.stat")), "usage_usec");
                long now = nanoTime.getAsLong();
                long[] prev = lastCpu.put(vmid, new long[] {usage, now});
                if (prev != null && now > prev[1] && usage >= prev[0]) {
                    double used = (usage - prev[0]) / ((now - prev[1]) / 1000.0);
                    double alloc = conf.get("cores") == null ? state.hostCpus : Double.parseDouble(conf.get("cores"));
                    cpu = String.format(Locale.ROOT, "%.2f (%3.0f%%)", used, 100 * used / alloc);
                }
                long current = parse(read(cg.resolve("memory.current")));
                long file = flat(read(cg.resolve("memory.stat")), "file");
                mem = ((current - file) >> 20) + "/" + conf.memoryMb() + " MiB";
                oom = Long.toString(flat(read(cg.resolve("memory.events")), "oom_kill"));
            }
            String tags = conf.get("tags") == null ? "" : conf.get("tags");
            String name = conf.hostname() == null ? "CT" + vmid : conf.hostname();
            String line = String.format("%-5d %-16s %-8s %-14s %-6s %-17s %-4s ", vmid, trim(name, 16),
                    running ? "running" : "stopped", cpu, cores, mem, oom);
            out.append(line).append(trim(decision(vmid, tags), Math.max(20, width - line.length()))).append('\n');
        }
        out.append(String.format("applied so far: %d scale-up(s), %d scale-down(s)%n", decisions.appliedUps(), decisions.appliedDowns()));
        return out.toString();
    }

    private String decision(int vmid, String tags) {
        DecisionLog.Entry last = decisions.latest(vmid);
        DecisionLog.Entry change = decisions.latestChange(vmid);
        if (last == null) {
            return tags.contains("autoscale-off") ? "(tag autoscale-off)" : "(no decision yet)";
        }
        DecisionLog.Entry shown = change != null ? change : last;
        String what = "";
        if (shown.coresAfter() != shown.coresBefore()) {
            what += "cores " + shown.coresBefore() + "->" + shown.coresAfter() + " ";
        }
        if (shown.memoryAfter() != shown.memoryBefore()) {
            what += "mem " + shown.memoryBefore() + "->" + shown.memoryAfter() + " ";
        }
        return shown.time() + " " + shown.outcome() + " " + what + "| " + shown.reason();
    }

    private Map<Integer, GuestConfig> configs() {
        Map<Integer, GuestConfig> out = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(files.confDir(node), "[0-9]*.conf")) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                try {
                    out.put(Integer.parseInt(n.substring(0, n.length() - 5)), GuestConfig.parse(p.toString(), Files.readString(p)));
                } catch (IOException | RuntimeException e) {
                    // being rewritten or removed right now: shown on the next refresh
                }
            }
        } catch (IOException e) {
            // no config folder yet
        }
        return out;
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long flat(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + " ")) {
                return parse(line.substring(key.length() + 1));
            }
        }
        return 0;
    }
}
