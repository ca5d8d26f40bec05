package io.lxcautoscale.common.pveapi;

import java.util.List;

/** The nodes and guests of the cluster from one {@code GET /cluster/resources} (other entry types are dropped). */
public record PveClusterResources(List<PveNode> nodes, List<PveGuest> guests) {
    public PveClusterResources {
        nodes = List.copyOf(nodes);
        guests = List.copyOf(guests);
    }
}
