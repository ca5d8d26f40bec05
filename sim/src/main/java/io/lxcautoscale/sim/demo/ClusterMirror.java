package io.lxcautoscale.sim.demo;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeState;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import io.lxcautoscale.sim.pveapi.SimPveUsage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Keeps the simulated Proxmox API's cluster state ({@link SimPveCluster}) in step with the simulated nodes' files,
 * as Proxmox's replicated {@code /etc/pve} and its status daemon keep {@code /cluster/resources}: for every
 * container of every online node its node, run state, {@code cores} and {@code memory} (from its config file; a
 * container without {@code cores} gets the node's CPUs, as Proxmox reports it), lock, tags and swap, and what it
 * uses (CPU from its {@code cpu.stat} between two calls, as a share of its cores; memory used without page cache).
 * An offline node is not read: its containers keep their last state, as in Proxmox.
 */
final class ClusterMirror {
    /** One simulated node: its Proxmox name, its CPUs, its memory and its files. */
    record MirroredNode(String name, int cpus, long memoryMb, NodeFiles files) {
    }

    private final SimPveCluster cluster;
    private final List<MirroredNode> nodes;
    private final LongSupplier nanoTime;
    private final Map<Integer, long[]> lastCpu = new HashMap<>();

    /** @param nanoTime the clock the nodes' counters move by */
    ClusterMirror(SimPveCluster cluster, List<MirroredNode> nodes, LongSupplier nanoTime) {
        this.cluster = cluster;
        this.nodes = List.copyOf(nodes);
        this.nanoTime = nanoTime;
    }

    /** Reads every online node's files once and updates the cluster state. */
    void sync() {
        long now = nanoTime.getAsLong();
        for (MirroredNode node : nodes) {
            if (!cluster.node(node.name()).orElseThrow().online()) {
                continue;
            }
            NodeState state;
            try {
                state = NodeState.read(node.files());
            } catch (RuntimeException e) {
                continue; // being rewritten: read on the next call
            }
            for (Map.Entry<Integer, GuestConfig> e : NodeReadings.configs(node.files(), node.name()).entrySet()) {
                int vmid = e.getKey();
                NodeState.Ct ct = state.cts.get(vmid);
                boolean running = ct != null && ct.running();
                SimPveContainer mirrored = container(node, vmid, e.getValue(), running);
                if (cluster.container(vmid).isPresent()) {
                    cluster.update(vmid, old -> mirrored.withHaState(old.hastate()));
                } else {
                    cluster.addContainer(mirrored);
                }
                cluster.setUsage(vmid, running ? usage(node.files(), vmid, mirrored.cores(), now) : SimPveUsage.IDLE);
            }
        }
    }

    private static SimPveContainer container(MirroredNode node, int vmid, GuestConfig conf, boolean running) {
        String lock = conf.lock();
        String tags = conf.get("tags");
        return new SimPveContainer(vmid, node.name(), conf.hostname() == null ? "CT" + vmid : conf.hostname(),
                running ? "running" : "stopped", conf.cores() == null ? node.cpus() : conf.cores(), conf.memoryMb(),
                lock == null || lock.isEmpty() ? Optional.empty() : Optional.of(lock), Optional.empty(),
                tags == null ? List.of() : Arrays.stream(tags.split("[;, ]+")).filter(t -> !t.isEmpty()).toList(), conf.swapMb());
    }

    private SimPveUsage usage(NodeFiles files, int vmid, int cores, long now) {
        long usage = NodeReadings.cpuUsageMicros(files.cgroupDir(vmid));
        long[] previous = lastCpu.put(vmid, new long[] {usage, now});
        double cpu = 0;
        if (previous != null && now > previous[1] && usage >= previous[0]) {
            cpu = (usage - previous[0]) / ((now - previous[1]) / 1000.0) / Math.max(1, cores);
        }
        return new SimPveUsage(cpu, Math.max(0, NodeReadings.memoryUsedBytes(files.cgroupDir(vmid))));
    }
}
