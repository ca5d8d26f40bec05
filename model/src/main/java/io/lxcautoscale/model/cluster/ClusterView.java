package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Proxmox cluster as one {@code /cluster/resources} answer shows it: every node (online state, capacity, what its
 * running guests hold and use) and every container (its node, status, lock, HA state, tags), and the rules that say
 * whether this node's model decides for a container (docs/cluster.md):
 * <ol>
 *   <li><b>Own node only</b>: a container is decided for only by the model of the node it runs on ({@code node}), so two
 *       models never act on one container; after a migration the old node's model drops it at its next cycle and the
 *       new node's picks it up.</li>
 *   <li><b>Locked</b> (any {@code lock}: {@code migrate}, {@code backup}, {@code snapshot}, …): skipped this cycle;
 *       Proxmox would refuse a change anyway, and during a migration the container is about to change nodes.</li>
 *   <li><b>Moved or recovered by HA</b> ({@code hastate} {@code migrate}, {@code relocate}, {@code fence},
 *       {@code recovery}, {@code freeze}, {@code error}): skipped this cycle.</li>
 *   <li><b>HA-managed</b> (any other {@code hastate}): scaled by default — Proxmox's static CRS places HA guests by
 *       their configured cores and memory, so it sees the new size at its next placement; {@code
 *       cluster.scale_ha_managed: false} leaves them alone.</li>
 * </ol>
 * A container the answer does not list is skipped too: without {@code VM.Audit} on it, or before its first status
 * broadcast, nothing says which node owns it.
 */
public final class ClusterView {
    /** HA states in which HA is moving the container or handling a failure: no change may interfere. */
    private static final Set<String> MOVING_HA_STATES = Set.of("migrate", "relocate");
    static final Set<String> HA_BUSY = Set.of("migrate", "relocate", "fence", "recovery", "freeze", "error");
    private static final long MIB = 1024 * 1024;

    /**
     * One node.
     *
     * @param name              the node's name
     * @param online            corosync counts it as up ({@code status} {@code online})
     * @param haState           its HA state ({@code online}, {@code maintenance}, {@code fence}, …) when HA reports one
     * @param cpus              logical CPUs (0 = not reported: no {@code Sys.Audit} on the node)
     * @param memoryMb          memory, MiB (0 = not reported)
     * @param allocatedCores    Σ cores of its running guests (containers and VMs; a fractional CPU limit counts whole)
     * @param allocatedMemoryMb Σ memory of its running guests, MiB
     * @param busyCpus          CPUs busy at its last status broadcast
     * @param usedMemoryMb      memory in use at its last status broadcast, MiB
     */
    public record NodeState(String name, boolean online, Optional<String> haState, int cpus, long memoryMb, long allocatedCores,
                            long allocatedMemoryMb, double busyCpus, long usedMemoryMb) {
        /** HA does not report the node as anything but {@code online} (maintenance, fence, gone, unknown are not). */
        public boolean haAvailable() {
            return haState.isEmpty() || "online".equals(haState.get());
        }

        /** Its size is known ({@code Sys.Audit} on the node and it reported it). */
        public boolean capacityKnown() {
            return cpus > 0 && memoryMb > 0;
        }
    }

    private final String localNode;
    private final boolean scaleHaManaged;
    private final Map<String, PveGuest> containers;
    private final Map<String, NodeState> nodes;
    private final List<String> moving;

    private ClusterView(String localNode, boolean scaleHaManaged, Map<String, PveGuest> containers, Map<String, NodeState> nodes,
                        List<String> moving) {
        this.localNode = localNode;
        this.scaleHaManaged = scaleHaManaged;
        this.containers = containers;
        this.nodes = nodes;
        this.moving = moving;
    }

    /**
     * The view from one {@code /cluster/resources} answer.
     *
     * @param localNode      the node this model runs on
     * @param guests         the {@code type=vm} entries (containers and VMs)
     * @param nodeEntries    the {@code type=node} entries
     * @param scaleHaManaged {@code cluster.scale_ha_managed}
     */
    public static ClusterView of(String localNode, List<PveGuest> guests, List<PveNode> nodeEntries, boolean scaleHaManaged) {
        Map<String, PveGuest> containers = new HashMap<>();
        Map<String, long[]> held = new HashMap<>();
        List<String> moving = new ArrayList<>();
        for (PveGuest g : guests) {
            if (g.lock().filter("migrate"::equals).isPresent() || g.hastate().filter(MOVING_HA_STATES::contains).isPresent()) {
                moving.add(g.type() + " " + g.vmid() + " on " + g.node()
                        + g.lock().map(l -> " (lock " + l + ")").orElse(g.hastate().map(h -> " (HA " + h + ")").orElse("")));
            }
            if (g.isContainer()) {
                containers.put(Integer.toString(g.vmid()), g);
            }
            if ("running".equals(g.status())) {
                long[] sum = held.computeIfAbsent(g.node(), n -> new long[2]);
                sum[0] += (long) Math.ceil(g.maxcpu());
                sum[1] += g.maxmem() / MIB;
            }
        }
        Map<String, NodeState> nodes = new TreeMap<>();
        for (PveNode n : nodeEntries) {
            long[] sum = held.getOrDefault(n.node(), new long[2]);
            nodes.put(n.node(), new NodeState(n.node(), n.online(), n.hastate(), n.maxcpu(), n.maxmem() / MIB, sum[0], sum[1],
                    n.cpu() * n.maxcpu(), n.mem() / MIB));
        }
        return new ClusterView(localNode, scaleHaManaged, Map.copyOf(containers), Collections.unmodifiableMap(nodes), List.copyOf(moving));
    }

    /**
     * The guests (containers and VMs) being migrated anywhere in the cluster now: a {@code migrate} lock (a manual,
     * CRS, ProxLB or our own migration) or an HA state {@code migrate}/{@code relocate}; e.g. {@code "qemu 200 on pve2
     * (lock migrate)"}.
     */
    public List<String> movesInProgress() {
        return moving;
    }

    /** The node this model runs on. */
    public String localNode() {
        return localNode;
    }

    /** The VMIDs of every container the answer lists. */
    public Set<String> containerIds() {
        return containers.keySet();
    }

    /** The container's entry, if the answer lists it. */
    public Optional<PveGuest> container(String vmid) {
        return Optional.ofNullable(containers.get(vmid));
    }

    /** Every node, by name. */
    public Collection<NodeState> nodes() {
        return nodes.values();
    }

    public Optional<NodeState> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /**
     * Why this node's model must leave the container alone this cycle, as a journal reason ({@code skipped: …}), or
     * null when it decides for it.
     */
    public String skipReason(String vmid) {
        PveGuest g = containers.get(vmid);
        if (g == null) {
            return "skipped: not listed by the cluster's /cluster/resources (no VM.Audit on it, or not yet reported)";
        }
        if (!localNode.equals(g.node())) {
            return "skipped: runs on node " + g.node() + ", whose model decides for it";
        }
        if (g.lock().isPresent()) {
            return "skipped: locked (" + g.lock().get() + ")";
        }
        if (g.hastate().isPresent()) {
            String ha = g.hastate().get();
            if (HA_BUSY.contains(ha)) {
                return "skipped: HA state '" + ha + "' (HA is moving or recovering it)";
            }
            if (!scaleHaManaged) {
                return "skipped: HA-managed (cluster.scale_ha_managed: false)";
            }
        }
        return null;
    }
}
