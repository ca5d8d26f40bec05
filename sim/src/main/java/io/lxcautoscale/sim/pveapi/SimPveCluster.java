package io.lxcautoscale.sim.pveapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The in-memory state of a simulated Proxmox cluster: its nodes and the container table (vmid → owner and config). */
public final class SimPveCluster {
    private final Map<String, SimPveNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, SimPveContainer> containers = new TreeMap<>();

    public synchronized void addNode(String name, int maxcpu, long maxmemBytes) {
        if (nodes.putIfAbsent(name, new SimPveNode(name, true, maxcpu, maxmemBytes)) != null) {
            throw new IllegalArgumentException("node " + name + " already exists");
        }
    }

    public synchronized void addContainer(SimPveContainer container) {
        if (!nodes.containsKey(container.node())) {
            throw new IllegalArgumentException("no node " + container.node() + " for CT " + container.vmid());
        }
        if (containers.putIfAbsent(container.vmid(), container) != null) {
            throw new IllegalArgumentException("CT " + container.vmid() + " already exists");
        }
    }

    /** Puts a node offline (its API stops answering proxied requests) or back online. */
    public synchronized void setOnline(String node, boolean online) {
        nodes.put(node, requireNode(node).withOnline(online));
    }

    /** Sets or clears a container's config lock, as a backup, snapshot or migration would. */
    public synchronized void setLock(int vmid, Optional<String> lock) {
        update(vmid, c -> c.withLock(lock));
    }

    /** Changes a container's config as another writer would (e.g. an admin's {@code pct set}); changes its digest. */
    public synchronized void update(int vmid, UnaryOperator<SimPveContainer> change) {
        SimPveContainer current = container(vmid).orElseThrow(() -> new IllegalArgumentException("no CT " + vmid));
        containers.put(vmid, change.apply(current));
    }

    public synchronized Optional<SimPveContainer> container(int vmid) {
        return Optional.ofNullable(containers.get(vmid));
    }

    public synchronized List<SimPveContainer> containers() {
        return new ArrayList<>(containers.values());
    }

    public synchronized Optional<SimPveNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public synchronized List<SimPveNode> nodes() {
        return new ArrayList<>(nodes.values());
    }

    private SimPveNode requireNode(String node) {
        SimPveNode found = nodes.get(node);
        if (found == null) {
            throw new IllegalArgumentException("no node " + node);
        }
        return found;
    }
}
