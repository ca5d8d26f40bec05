package io.lxcautoscale.model.cluster;

import static io.lxcautoscale.model.cluster.ClusterFixtures.ct;
import static io.lxcautoscale.model.cluster.ClusterFixtures.guest;
import static io.lxcautoscale.model.cluster.ClusterFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
    private static final List<PveNode> NODES = List.of(node("pve1", 8, 16384), node("pve2", 16, 65536));

    private static ClusterView view(boolean scaleHa, PveGuest... guests) {
        return ClusterView.of("pve1", List.of(guests), NODES, scaleHa);
    }

    @Test
    void decidesOnlyForTheContainersOfItsOwnNode() {
        ClusterView pve1 = view(true, ct(101, "pve1", 2, 2048), ct(102, "pve2", 2, 2048));
        assertThat(pve1.skipReason("101")).isNull();
        assertThat(pve1.skipReason("102")).isEqualTo("skipped: runs on node pve2, whose model decides for it");
        // the same answer seen from pve2: exactly one of the two models decides for each container
        ClusterView pve2 = ClusterView.of("pve2", List.of(ct(101, "pve1", 2, 2048), ct(102, "pve2", 2, 2048)), NODES, true);
        assertThat(pve2.skipReason("101")).startsWith("skipped: runs on node pve1");
        assertThat(pve2.skipReason("102")).isNull();
    }

    @Test
    void aContainerTheAnswerDoesNotListIsLeftAlone() {
        assertThat(view(true, ct(101, "pve1", 2, 2048)).skipReason("103")).startsWith("skipped: not listed by the cluster's");
    }

    @Test
    void lockedAndMigratingContainersAreSkipped() {
        ClusterView v = view(true,
                guest(101, "lxc", "pve1", "running", "backup", null, List.of(), 2, 2048),
                guest(102, "lxc", "pve1", "running", "migrate", null, List.of(), 2, 2048),
                guest(103, "lxc", "pve1", "running", "snapshot", null, List.of(), 2, 2048),
                guest(104, "lxc", "pve1", "running", null, "migrate", List.of(), 2, 2048),
                guest(105, "lxc", "pve1", "running", null, "relocate", List.of(), 2, 2048),
                guest(106, "lxc", "pve1", "running", null, "recovery", List.of(), 2, 2048));
        assertThat(v.skipReason("101")).isEqualTo("skipped: locked (backup)");
        assertThat(v.skipReason("102")).isEqualTo("skipped: locked (migrate)");
        assertThat(v.skipReason("103")).isEqualTo("skipped: locked (snapshot)");
        assertThat(v.skipReason("104")).isEqualTo("skipped: HA state 'migrate' (HA is moving or recovering it)");
        assertThat(v.skipReason("105")).isEqualTo("skipped: HA state 'relocate' (HA is moving or recovering it)");
        assertThat(v.skipReason("106")).isEqualTo("skipped: HA state 'recovery' (HA is moving or recovering it)");
    }

    @Test
    void haManagedContainersAreScaledUnlessSwitchedOff() {
        PveGuest ha = guest(101, "lxc", "pve1", "running", null, "started", List.of(), 2, 2048);
        PveGuest plain = ct(102, "pve1", 2, 2048);
        assertThat(view(true, ha, plain).skipReason("101")).isNull();
        assertThat(view(false, ha, plain).skipReason("101")).isEqualTo("skipped: HA-managed (cluster.scale_ha_managed: false)");
        assertThat(view(false, ha, plain).skipReason("102")).isNull(); // not HA-managed: scaled either way
    }

    @Test
    void nodesCarryTheirStateSizeAndWhatTheirRunningGuestsHold() {
        List<PveNode> nodes = List.of(node("pve1", 8, 16384), node("pve2", "offline", null, 0, 0),
                node("pve3", "online", "maintenance", 16, 65536));
        ClusterView v = ClusterView.of("pve1", List.of(
                ct(101, "pve1", 2, 2048),
                guest(102, "qemu", "pve1", "running", null, null, List.of(), 4, 4096),   // a VM holds the node's memory too
                guest(103, "lxc", "pve1", "stopped", null, null, List.of(), 8, 8192),    // a stopped guest holds nothing
                guest(104, "lxc", "pve1", "running", null, null, List.of(), 1.5, 512)), // a cpulimit of 1.5 takes 2 cores
                nodes, true);
        ClusterView.NodeState pve1 = v.node("pve1").orElseThrow();
        assertThat(pve1.online()).isTrue();
        assertThat(pve1.haAvailable()).isTrue();
        assertThat(pve1.capacityKnown()).isTrue();
        assertThat(pve1.cpus()).isEqualTo(8);
        assertThat(pve1.memoryMb()).isEqualTo(16384);
        assertThat(pve1.allocatedCores()).isEqualTo(2 + 4 + 2);
        assertThat(pve1.allocatedMemoryMb()).isEqualTo(2048 + 4096 + 512);
        assertThat(pve1.busyCpus()).isEqualTo(2.0);          // 0.25 of 8 CPUs
        assertThat(pve1.usedMemoryMb()).isEqualTo(4096);     // a quarter of 16384 MiB
        ClusterView.NodeState pve2 = v.node("pve2").orElseThrow();
        assertThat(pve2.online()).isFalse();
        assertThat(pve2.capacityKnown()).isFalse();
        ClusterView.NodeState pve3 = v.node("pve3").orElseThrow();
        assertThat(pve3.online()).isTrue();
        assertThat(pve3.haAvailable()).isFalse();
        assertThat(v.nodes()).extracting(ClusterView.NodeState::name).containsExactly("pve1", "pve2", "pve3");
        // only containers are decided for: the VM is not one
        assertThat(v.container("102")).isEmpty();
        assertThat(v.container("104")).isPresent();
    }

    @Test
    void movesInProgressAreEveryGuestWithAMigrateLockOrAnHaMove() {
        ClusterView v = view(true,
                guest(101, "lxc", "pve1", "running", "backup", null, List.of(), 2, 2048),
                guest(102, "lxc", "pve2", "stopped", "migrate", null, List.of(), 2, 2048),
                guest(200, "qemu", "pve2", "running", null, "relocate", List.of(), 4, 4096),
                guest(201, "qemu", "pve1", "running", null, "started", List.of(), 4, 4096),
                guest(202, "qemu", "pve1", "running", null, "migrate", List.of(), 4, 4096));
        assertThat(v.movesInProgress()).containsExactly("lxc 102 on pve2 (lock migrate)", "qemu 200 on pve2 (HA relocate)",
                "qemu 202 on pve1 (HA migrate)");
        assertThat(view(true, ct(101, "pve1", 2, 2048)).movesInProgress()).isEmpty();
    }
}
