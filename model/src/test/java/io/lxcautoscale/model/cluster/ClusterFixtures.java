package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveNode;
import java.util.List;
import java.util.Optional;

/** /cluster/resources entries for the cluster tests, in MiB and whole CPUs. */
final class ClusterFixtures {
    static final long MIB = 1024L * 1024;

    private ClusterFixtures() {
    }

    static PveGuest ct(int vmid, String node, double cores, long memoryMb) {
        return guest(vmid, "lxc", node, "running", null, null, List.of(), cores, memoryMb);
    }

    static PveGuest guest(int vmid, String type, String node, String status, String lock, String hastate, List<String> tags,
                          double maxcpu, long memoryMb) {
        return new PveGuest(vmid, type, node, status, Optional.of("ct" + vmid), Optional.ofNullable(lock),
                Optional.ofNullable(hastate), tags, maxcpu, 0.1, memoryMb * MIB, memoryMb * MIB / 2);
    }

    static PveNode node(String name, int cpus, long memoryMb) {
        return new PveNode(name, "online", cpus, 0.25, memoryMb * MIB, memoryMb * MIB / 4, Optional.empty());
    }

    static PveNode node(String name, String status, String hastate, int cpus, long memoryMb) {
        return new PveNode(name, status, cpus, 0.25, memoryMb * MIB, memoryMb * MIB / 4, Optional.ofNullable(hastate));
    }
}
