package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.model.policy.PolicySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a container whose growth its own node's capacity capped would fit: the other nodes with room for its wanted
 * cores and memory, measured the way {@code NodeCapacityLimit} measures the local node (the same {@code node.*}
 * reserves and CPU overcommit), and the one with the most room. It only recommends; it never moves anything.
 *
 * <p>A node can take the container when it is online, HA does not report it as anything but online (not in
 * maintenance), its size is known, and after the move: the container's cores ≤ its CPUs − {@code reserve_cores};
 * Σ cores of its running guests ≤ (CPUs − {@code reserve_cores}) × {@code cpu_overcommit}; Σ memory ≤ its memory −
 * {@code reserve_memory_mb}. Its <b>room</b> is the smaller of the two shares left after the move (free core slots of
 * the overcommitted pool, free memory of the memory after the reserve); the largest room wins, equal rooms go to the
 * node whose name sorts first. A container tagged with {@code cluster.no_migrate_tag} gets no recommendation; an
 * HA-managed one only a node its HA node-affinity rule or group lets it stay on ({@link HaPlacementRule}).
 */
public final class PlacementAdvisor {
    /**
     * A {@code recommend_migrate} journal entry's content.
     *
     * @param vmid           the container
     * @param fromNode       where it runs
     * @param toNode         the node with the most room for it
     * @param wantedCores    the cores its decision wanted before the node's capacity capped it
     * @param wantedMemoryMb the memory it wanted, MiB
     * @param reason         why, for the journal and {@code explain}
     */
    public record Recommendation(String vmid, String fromNode, String toNode, int wantedCores, int wantedMemoryMb, String reason) {
    }

    /** One node's room for the container after the move (shares 0–1), or why it has none. */
    private record Room(ClusterView.NodeState node, double share, long coresLeft, long coresPool, long memoryLeftMb,
                        long memoryUsableMb, String refusal) {
    }

    private final PolicySettings.Node reserve;
    private final String noMigrateTag;

    /**
     * @param reserve      {@code node.reserve_cores}, {@code node.reserve_memory_mb}, {@code node.cpu_overcommit}
     * @param noMigrateTag {@code cluster.no_migrate_tag}
     */
    public PlacementAdvisor(PolicySettings.Node reserve, String noMigrateTag) {
        this.reserve = reserve;
        this.noMigrateTag = noMigrateTag;
    }

    /**
     * The node with the most room for the container's wanted size, or empty when the view does not list it, it is
     * opted out, or no other node can take it.
     *
     * @param capped why its node capped it (the decision's capacity reasons)
     */
    public Optional<Recommendation> advise(ClusterView view, String vmid, int wantedCores, int wantedMemoryMb, String capped) {
        return advise(view, vmid, wantedCores, wantedMemoryMb, capped, Optional.empty());
    }

    /**
     * As {@link #advise(ClusterView, String, int, int, String)}, for a container HA places by {@code haRule}: only the
     * nodes it allows are candidates, the others are named as refused.
     */
    public Optional<Recommendation> advise(ClusterView view, String vmid, int wantedCores, int wantedMemoryMb, String capped,
                                           Optional<HaPlacementRule> haRule) {
        Optional<Set<String>> allowed = haRule.flatMap(r -> r.allowedTargets(view));
        Optional<PveGuest> guest = view.container(vmid);
        if (guest.isEmpty() || guest.get().tags().contains(noMigrateTag)) {
            return Optional.empty();
        }
        String from = guest.get().node();
        Room best = null;
        List<String> refused = new ArrayList<>();
        for (ClusterView.NodeState n : view.nodes()) {
            if (n.name().equals(from)) {
                continue;
            }
            Room room = allowed.isPresent() && !allowed.get().contains(n.name())
                    ? refused(n, haRule.orElseThrow().refusal()) : roomOn(n, wantedCores, wantedMemoryMb);
            if (room.refusal() != null) {
                refused.add(n.name() + " " + room.refusal());
            } else if (best == null || room.share() > best.share()) { // nodes come sorted by name: the first of equals stays
                best = room;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String reason = String.format("%d cores and %d MiB do not fit on %s (%s); %s has the most room after the move: "
                        + "%d of %d core slots and %d of %d MiB free%s",
                wantedCores, wantedMemoryMb, from, capped, best.node().name(), best.coresLeft(), best.coresPool(),
                best.memoryLeftMb(), best.memoryUsableMb(), refused.isEmpty() ? "" : "; not " + String.join(", ", refused));
        return Optional.of(new Recommendation(vmid, from, best.node().name(), wantedCores, wantedMemoryMb, reason));
    }

    private Room roomOn(ClusterView.NodeState n, int wantedCores, int wantedMemoryMb) {
        if (!n.online()) {
            return refused(n, "(offline)");
        }
        if (!n.haAvailable()) {
            return refused(n, "(HA state " + n.haState().orElse("") + ")");
        }
        if (!n.capacityKnown()) {
            return refused(n, "(size not reported: Sys.Audit missing?)");
        }
        long usable = Math.max(1, n.cpus() - reserve.reserveCores());
        long pool = (long) Math.floor(usable * reserve.cpuOvercommit());
        long coresLeft = pool - n.allocatedCores() - wantedCores;
        long memoryUsable = n.memoryMb() - reserve.reserveMemoryMb();
        long memoryLeft = memoryUsable - n.allocatedMemoryMb() - wantedMemoryMb;
        if (wantedCores > usable) {
            return refused(n, "(" + n.cpus() + " CPUs)");
        }
        if (coresLeft < 0) {
            return refused(n, "(no core slots)");
        }
        if (memoryLeft < 0 || memoryUsable <= 0) {
            return refused(n, "(no memory)");
        }
        double share = Math.min((double) coresLeft / pool, (double) memoryLeft / memoryUsable);
        return new Room(n, share, coresLeft, pool, memoryLeft, memoryUsable, null);
    }

    private static Room refused(ClusterView.NodeState n, String why) {
        return new Room(n, 0, 0, 0, 0, 0, why);
    }
}
