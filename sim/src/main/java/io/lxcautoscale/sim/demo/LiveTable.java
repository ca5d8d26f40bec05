package io.lxcautoscale.sim.demo;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeState;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The demo's terminal view: per container (of one node, or of every node of the cluster demo) its node, its CPU
 * and memory use (from the simulated cgroup files), its allocation (from its config) and the model's latest
 * decision with the reason, preceded by the latest placement recommendation when there is one.
 */
final class LiveTable {
    /** One simulated node the table shows: its name, its files and its model's journal. */
    record Node(String name, NodeFiles files, DecisionLog decisions) {
    }

    private final List<Node> nodes;
    private final Map<Integer, long[]> lastCpu = new HashMap<>();
    private final LongSupplier nanoTime;

    /** @param nanoTime the clock the node's counters move by (CPU used = usage µs between two renders / time between them) */
    LiveTable(NodeFiles files, String node, DecisionLog decisions, LongSupplier nanoTime) {
        this(List.of(new Node(node, files, decisions)), nanoTime);
    }

    /** A table of the containers of every node in {@code nodes}, in that order. */
    LiveTable(List<Node> nodes, LongSupplier nanoTime) {
        this.nodes = List.copyOf(nodes);
        this.nanoTime = nanoTime;
    }

    String render(String header, int width) {
        StringBuilder out = new StringBuilder(header).append('\n');
        out.append(String.format("%-6s %-5s %-16s %-8s %-14s %-6s %-17s %-4s %s%n", "NODE", "VMID", "NAME", "STATE", "CPU USED", "CORES",
                "MEM USED/ALLOC", "OOM", "LATEST DECISION (model journal)"));
        for (Node node : nodes) {
            node.decisions().poll();
            NodeState state;
            try {
                state = NodeState.read(node.files());
            } catch (RuntimeException e) {
                out.append(String.format("%-6s (simulated node not ready: %s)%n", node.name(), e.getMessage()));
                continue;
            }
            renderNode(out, node, state, width);
        }
        for (Node node : nodes) {
            out.append(String.format("%s: applied so far: %d scale-up(s), %d scale-down(s)%s%n", node.name(), node.decisions().appliedUps(),
                    node.decisions().appliedDowns(), node.decisions().recommendations() == 0 ? ""
                            : ", " + node.decisions().recommendations() + " placement recommendation(s)"));
        }
        return out.toString();
    }

    private void renderNode(StringBuilder out, Node node, NodeState state, int width) {
        for (Map.Entry<Integer, GuestConfig> e : NodeReadings.configs(node.files(), node.name()).entrySet()) {
            int vmid = e.getKey();
            GuestConfig conf = e.getValue();
            NodeState.Ct ct = state.cts.get(vmid);
            boolean running = ct != null && ct.running();
            String cores = conf.get("cores") == null ? "all" : conf.get("cores");
            String cpu = "-";
            String mem = "-/" + conf.memoryMb();
            String oom = "-";
            if (running) {
                Path cg = node.files().cgroupDir(vmid);
                long usage = NodeReadings.cpuUsageMicros(cg);
                long now = nanoTime.getAsLong();
                long[] prev = lastCpu.put(vmid, new long[] {usage, now});
                if (prev != null && now > prev[1] && usage >= prev[0]) {
                    double used = (usage - prev[0]) / ((now - prev[1]) / 1000.0);
                    double alloc = conf.get("cores") == null ? state.hostCpus : Double.parseDouble(conf.get("cores"));
                    cpu = String.format(Locale.ROOT, "%.2f (%3.0f%%)", used, 100 * used / alloc);
                }
                mem = (NodeReadings.memoryUsedBytes(cg) >> 20) + "/" + conf.memoryMb() + " MiB";
                oom = Long.toString(NodeReadings.oomKills(cg));
            }
            String tags = conf.get("tags") == null ? "" : conf.get("tags");
            String name = conf.hostname() == null ? "CT" + vmid : conf.hostname();
            String line = String.format("%-6s %-5d %-16s %-8s %-14s %-6s %-17s %-4s ", trim(node.name(), 6), vmid, trim(name, 16),
                    running ? "running" : "stopped", cpu, cores, mem, oom);
            out.append(line).append(trim(decision(node.decisions(), vmid, tags), Math.max(20, width - line.length()))).append('\n');
        }
    }

    private static String decision(DecisionLog decisions, int vmid, String tags) {
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
        String target = decisions.recommendedNode(vmid);
        return (target == null ? "" : "[move to " + target + "?] ") + shown.time() + " " + shown.outcome() + " " + what + "| " + shown.reason();
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }
}
