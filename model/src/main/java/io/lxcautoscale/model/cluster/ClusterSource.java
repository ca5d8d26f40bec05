package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import java.util.Map;

/** Where the model daemon gets the cluster's view each cycle; a failure is a runtime exception (the cycle goes on). */
@FunctionalInterface
public interface ClusterSource {
    /** The cluster as it is now. */
    ClusterView fetch();

    /**
     * The HA node-affinity rules (or PVE 8 groups) of the HA-managed containers, by VMID; asked only when an
     * HA-managed container needs a placement recommendation. None by default (a source without HA).
     */
    default Map<Integer, PveHaNodeAffinity> haNodeAffinity() {
        return Map.of();
    }
}
