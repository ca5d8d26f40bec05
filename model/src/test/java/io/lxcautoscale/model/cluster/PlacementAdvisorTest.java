package io.lxcautoscale.model.cluster;

import static io.lxcautoscale.model.cluster.ClusterFixtures.ct;
import static io.lxcautoscale.model.cluster.ClusterFixtures.guest;
import static io.lxcautoscale.model.cluster.ClusterFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import io.lxcautoscale.common.pveapi.PveNode;
import io.lxcautoscale.model.policy.PolicySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementAdvisorTest {
    /** node.reserve_cores 1, node.reserve_memory_mb 2048, node.cpu_overcommit 4 (the shipped defaults). */
    private static final PlacementAdvisor ADVISOR = new PlacementAdvisor(new PolicySettings.Node(1, 2048, 4.0), "autoscale-no-migrate");
    private static final String CAP = "node capacity: memory capped at 8192 MiB";

    /** Container 101 (4 cores, 8 GiB) runs on the small pve1; pve2 and pve3 are 16 CPUs, 64 GiB, differently full. */
    private static List<PveGuest> guests(PveGuest container) {
        List<PveGuest> g = new ArrayList<>();
        g.add(container);
        g.add(ct(201, "pve2", 10, 40960));  // pve2: 10 cores, 40 GiB held
        g.add(ct(301, "pve3", 20, 20480));  // pve3: 20 cores, 20 GiB held
        return g;
    }

    private static ClusterView view(List<PveGuest> guests, PveNode... nodes) {
        return ClusterView.of("pve1", guests, List.of(nodes), true);
    }

    private static final PveNode PVE1 = node("pve1", 8, 16384);
    private static final PveNode PVE2 = node("pve2", 16, 65536);
    private static final PveNode PVE3 = node("pve3", 16, 65536);

    @Test
    void recommendsTheNodeWithTheMostRoomAfterTheMove() {
        // wanted 6 cores, 12288 MiB. Each 16-CPU node: usable 15 CPUs, 15 × 4 = 60 core slots; 65536 − 2048 = 63488 MiB.
        // pve2: cores left 60 − 10 − 6 = 44 (0.733), memory left 63488 − 40960 − 12288 = 10240 (0.161) → room 0.161
        // pve3: cores left 60 − 20 − 6 = 34 (0.567), memory left 63488 − 20480 − 12288 = 30720 (0.484) → room 0.484
        Optional<PlacementAdvisor.Recommendation> r = ADVISOR.advise(view(guests(ct(101, "pve1", 4, 8192)), PVE1, PVE2, PVE3),
                "101", 6, 12288, CAP);
        assertThat(r).isPresent();
        assertThat(r.get().vmid()).isEqualTo("101");
        assertThat(r.get().fromNode()).isEqualTo("pve1");
        assertThat(r.get().toNode()).isEqualTo("pve3");
        assertThat(r.get().wantedCores()).isEqualTo(6);
        assertThat(r.get().wantedMemoryMb()).isEqualTo(12288);
        assertThat(r.get().reason()).isEqualTo("6 cores and 12288 MiB do not fit on pve1 (" + CAP + "); pve3 has the most room "
                + "after the move: 34 of 60 core slots and 30720 of 63488 MiB free");
    }

    @Test
    void offlineAndMaintenanceNodesAreNeverRecommendedHoweverEmpty() {
        PveNode offline = node("pve4", "offline", null, 64, 262144);
        PveNode maintenance = node("pve5", "online", "maintenance", 64, 262144);
        PveNode unknownSize = node("pve6", "online", null, 0, 0); // no Sys.Audit: no size
        Optional<PlacementAdvisor.Recommendation> r = ADVISOR.advise(
                view(guests(ct(101, "pve1", 4, 8192)), PVE1, PVE2, PVE3, offline, maintenance, unknownSize), "101", 6, 12288, CAP);
        assertThat(r).map(PlacementAdvisor.Recommendation::toNode).contains("pve3");
        assertThat(r.get().reason()).endsWith("; not pve4 (offline), pve5 (HA state maintenance), "
                + "pve6 (size not reported: Sys.Audit missing?)");
    }

    @Test
    void aContainerWithTheOptOutTagGetsNoRecommendation() {
        PveGuest tagged = guest(101, "lxc", "pve1", "running", null, null, List.of("prod", "autoscale-no-migrate"), 4, 8192);
        assertThat(ADVISOR.advise(view(guests(tagged), PVE1, PVE2, PVE3), "101", 6, 12288, CAP)).isEmpty();
    }

    @Test
    void nothingWhenNoOtherNodeFits() {
        // 40000 MiB: pve2 has 63488 − 40960 = 22528 free, pve3 63488 − 20480 = 43008 → only pve3; 44000 fits neither
        assertThat(ADVISOR.advise(view(guests(ct(101, "pve1", 4, 8192)), PVE1, PVE2, PVE3), "101", 6, 40000, CAP))
                .map(PlacementAdvisor.Recommendation::toNode).contains("pve3");
        assertThat(ADVISOR.advise(view(guests(ct(101, "pve1", 4, 8192)), PVE1, PVE2, PVE3), "101", 6, 44000, CAP)).isEmpty();
        // a container the view does not list has nowhere to go either
        assertThat(ADVISOR.advise(view(guests(ct(101, "pve1", 4, 8192)), PVE1, PVE2, PVE3), "999", 1, 512, CAP)).isEmpty();
    }

    @Test
    void theSourceNodeIsNeverTheTargetEvenWhenItsEntryShowsRoom() {
        PveNode bigSource = node("pve1", 64, 262144);
        assertThat(ADVISOR.advise(view(guests(ct(101, "pve1", 4, 8192)), bigSource, PVE2, PVE3), "101", 6, 12288, CAP))
                .map(PlacementAdvisor.Recommendation::toNode).contains("pve3");
        assertThat(ADVISOR.advise(view(List.of(ct(101, "pve1", 4, 8192)), bigSource), "101", 6, 12288, CAP)).isEmpty();
    }

    @Test
    void theTargetsReservesAreRespected() {
        PveNode empty = node("pve2", 16, 16384);
        List<PveGuest> alone = List.of(ct(101, "pve1", 4, 8192));
        // memory: 16384 − 2048 = 14336 MiB usable: 14336 fits, 14337 does not (it would without the reserve)
        assertThat(ADVISOR.advise(view(alone, PVE1, empty), "101", 2, 14336, CAP)).isPresent();
        assertThat(ADVISOR.advise(view(alone, PVE1, empty), "101", 2, 14337, CAP)).isEmpty();
        // one container's cores: 16 − 1 = 15 CPUs: 15 fits, 16 does not
        assertThat(ADVISOR.advise(view(alone, PVE1, empty), "101", 15, 1024, CAP)).isPresent();
        assertThat(ADVISOR.advise(view(alone, PVE1, empty), "101", 16, 1024, CAP)).isEmpty();
        // Σ cores: 60 slots, 56 held by running guests: 4 more fit, 5 do not
        List<PveGuest> busy = List.of(ct(101, "pve1", 4, 8192), ct(201, "pve2", 14, 1024), ct(202, "pve2", 14, 1024),
                ct(203, "pve2", 14, 1024), ct(204, "pve2", 14, 1024));
        assertThat(ADVISOR.advise(view(busy, PVE1, empty), "101", 4, 1024, CAP)).isPresent();
        assertThat(ADVISOR.advise(view(busy, PVE1, empty), "101", 5, 1024, CAP)).isEmpty();
    }

    @Test
    void equalRoomGoesToTheNodeWhoseNameSortsFirst() {
        List<PveGuest> alone = List.of(ct(101, "pve1", 4, 8192));
        // listed pve3 before pve2 on purpose: the answer's order must not matter
        assertThat(ADVISOR.advise(view(alone, PVE1, PVE3, PVE2), "101", 6, 12288, CAP))
                .map(PlacementAdvisor.Recommendation::toNode).contains("pve2");
    }

    private static Optional<HaPlacementRule> ha(String name, String nodes, boolean strict, boolean failback) {
        return Optional.of(new HaPlacementRule(new PveHaNodeAffinity(name, PveHaNodeAffinity.parseNodes(nodes), strict, failback)));
    }

    private static Optional<PlacementAdvisor.Recommendation> adviseHa(Optional<HaPlacementRule> rule, PveNode... nodes) {
        PveGuest managed = guest(101, "lxc", "pve1", "running", null, "started", List.of(), 4, 8192);
        return ADVISOR.advise(view(guests(managed), nodes), "101", 6, 12288, CAP, rule);
    }

    @Test
    void anHaManagedContainerGoesOnlyWhereItsRuleKeepsIt() {
        // without a rule pve3 has the most room (first test); a rule listing pve1 and pve2 at one priority keeps it off pve3
        Optional<PlacementAdvisor.Recommendation> r = adviseHa(ha("web", "pve1:1,pve2:1", false, true), PVE1, PVE2, PVE3);
        assertThat(r).isPresent();
        assertThat(r.get().toNode()).isEqualTo("pve2");
        assertThat(r.get().reason()).endsWith("; not pve3 (HA web keeps it on pve1:1,pve2:1)");
        // pve1 above pve2: with failback HA would move it back to pve1, so nowhere
        assertThat(adviseHa(ha("web", "pve1:2,pve2:1", false, true), PVE1, PVE2, PVE3)).isEmpty();
        // without failback pve2 keeps it only under a strict rule's list; a non-strict rule lets it go anywhere
        assertThat(adviseHa(ha("web", "pve1:2,pve2:1", true, false), PVE1, PVE2, PVE3)).map(PlacementAdvisor.Recommendation::toNode)
                .hasValue("pve2");
        assertThat(adviseHa(ha("web", "pve1:2,pve2:1", false, false), PVE1, PVE2, PVE3)).map(PlacementAdvisor.Recommendation::toNode)
                .hasValue("pve3");
    }

    @Test
    void anHaRuleCountsOnlyAvailableNodes() {
        PveNode pve3Maintenance = node("pve3", "online", "maintenance", 16, 65536);
        // pve3 (priority 2) in maintenance: HA runs it on the best available class, pve2 (1); pve1 (0) is below it
        assertThat(adviseHa(ha("group web", "pve3:2,pve2:1,pve1", true, true), PVE1, PVE2, pve3Maintenance))
                .map(PlacementAdvisor.Recommendation::toNode).hasValue("pve2");
        // none of a strict rule's nodes available: nowhere; a non-strict one: anywhere with room (pve2 or pve3 by room)
        PveNode pve2Offline = node("pve2", "offline", null, 16, 65536);
        assertThat(adviseHa(ha("db", "pve2", true, true), PVE1, pve2Offline, PVE3)).isEmpty();
        assertThat(adviseHa(ha("db", "pve2", false, true), PVE1, pve2Offline, PVE3)).map(PlacementAdvisor.Recommendation::toNode)
                .hasValue("pve3");
    }
}
