package io.lxcautoscale.model.policy;

import static io.lxcautoscale.model.policy.Fixtures.ANOMALOUS;
import static io.lxcautoscale.model.policy.Fixtures.BIG_NODE;
import static io.lxcautoscale.model.policy.Fixtures.NORMAL;
import static io.lxcautoscale.model.policy.Fixtures.NOW;
import static io.lxcautoscale.model.policy.Fixtures.steady;
import static io.lxcautoscale.model.policy.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole chain, including the original's bugs as regression tests. */
class ScalingPolicyTest {
    private final ScalingPolicy policy = ScalingPolicy.of(PolicySettings.defaults());

    private Decision decide(ContainerView v, Allocation a) {
        return policy.decide(v, a, BIG_NODE, PolicyState.INITIAL, NOW);
    }

    @Test
    void aNormalPredictionNeverScalesUp() {
        // original F1: predict() = 1 ("normal") read as true sent a CT at 5.7 % CPU to the maximum
        Decision d = decide(with(steady(0.114, 600), 0, 0, 0, NORMAL), Allocation.running("101", 2, 2048));
        assertThat(d.cpuAction()).isNotEqualTo(Action.UP);
        assertThat(d.memoryAction()).isNotEqualTo(Action.UP);
        assertThat(d.coresAfter()).isLessThanOrEqualTo(2);
    }

    @Test
    void memoryMegabytesAreNeverComparedWithPercentThresholds() {
        // original F3: 600 MB "> 75" scaled up; 600 of 4096 MiB is 15 %
        Decision d = decide(steady(0.5, 600), Allocation.running("101", 2, 4096));
        assertThat(d.memoryAction()).isNotEqualTo(Action.UP);
    }

    @Test
    void aContainerAboveMaxWithHighCpuIsNotCutBelowItsUsage() {
        // original bug 3: an 8-core CT at 90 % CPU was "scaled up" to 4 cores
        Decision d = decide(steady(7.2, 6000), Allocation.running("101", 8, 16_384));
        assertThat(d.coresAfter()).isGreaterThanOrEqualTo(8);
        assertThat(d.memoryMbAfter()).isGreaterThanOrEqualTo(7200);   // 16 GiB was cut to 8192 with 6 GiB... never below use + headroom
    }

    @Test
    void scaleDownBelowMinNeverRaisesAboveCurrentWrongly() {
        // original bug 3: "scale down" of a CT below min raised it; ours raises it to min and says why
        Decision d = decide(steady(0.05, 100), Allocation.running("101", 1, 256));
        assertThat(d.memoryMbAfter()).isEqualTo(512);
        assertThat(d.reasons()).anyMatch(r -> r.contains("within [512, 8192]"));
    }

    @Test
    void anomalousSurgeScalesUpAtOnceDespiteCooldown() {
        PolicyState justChanged = new PolicyState(NOW.minusSeconds(30), NOW.minusSeconds(30));
        ContainerView v = with(steady(1.9, 500), 0.3, 0, 0, ANOMALOUS);
        Decision d = policy.decide(v, Allocation.running("101", 2, 2048), BIG_NODE, justChanged, NOW);
        assertThat(d.cpuAction()).isEqualTo(Action.UP);
        assertThat(d.urgent()).isTrue();
        assertThat(d.confidence()).isEqualTo(99.5);
    }

    @Test
    void hotButNormalWaitsForTheCooldown() {
        PolicyState justChanged = new PolicyState(NOW.minusSeconds(30), NOW.minusSeconds(30));
        Decision d = policy.decide(with(steady(1.9, 500), 0, 0, 0, NORMAL), Allocation.running("101", 2, 2048), BIG_NODE, justChanged, NOW);
        assertThat(d.cpuAction()).isEqualTo(Action.NONE);
        assertThat(d.reason()).contains("cooldown");
    }

    @Test
    void anOomKillRaisesMemory() {
        Decision d = decide(with(steady(0.5, 1000), 0, 0, 2, Anomaly.NONE), Allocation.running("101", 2, 1024));
        assertThat(d.memoryAction()).isEqualTo(Action.UP);
        assertThat(d.memoryMbAfter()).isGreaterThanOrEqualTo(1229);
        assertThat(d.confidence()).isEqualTo(100);
    }

    @Test
    void memoryIsNeverLoweredBelowPeakPlusHeadroom() {
        Decision d = decide(steady(0.1, 1000), Allocation.running("101", 1, 4096));
        assertThat(d.memoryAction()).isEqualTo(Action.DOWN);
        assertThat(d.memoryMbAfter()).isGreaterThanOrEqualTo(1200);
    }

    @Test
    void scaleDownGoesStraightToTheEstimateButNotBelowTheLimitsOrTheFloor() {
        Decision d = decide(steady(0.1, 200), Allocation.running("101", 4, 8192));
        assertThat(d.coresAfter()).isEqualTo(1);
        assertThat(d.memoryMbAfter()).isEqualTo(512);   // estimate 220 MiB, floor 264, min_ram_mb 512
        Decision big = decide(steady(0.1, 3000), Allocation.running("101", 4, 8192));
        // estimate 3000 × 1.10 = 3300, but the memory floor keeps the last hour's peak + 20 %: 3600
        assertThat(big.memoryMbAfter()).isEqualTo(3600);
    }

    @Test
    void leavesAloneStoppedLockedTemplateIgnoredAndOptedOut() {
        ScalingPolicy p = new ScalingPolicy(PolicySettings.defaults(), List.of(), Set.of("105"), Set.of("autoscale-off"));
        ContainerView hot = with(steady(1.9, 1900), 0.5, 50, 1, ANOMALOUS);
        List<Allocation> untouchable = List.of(
                new Allocation("101", 2, 2048, false, null, false, List.of()),
                new Allocation("102", 2, 2048, true, "backup", false, List.of()),
                new Allocation("103", 2, 2048, true, null, true, List.of()),
                new Allocation("104", 2, 2048, true, null, false, List.of("web", "autoscale-off")),
                new Allocation("105", 2, 2048, true, null, false, List.of()));
        for (Allocation a : untouchable) {
            Decision d = p.decide(hot, a, BIG_NODE, PolicyState.INITIAL, NOW);
            assertThat(d.skipped()).as(a.toString()).isTrue();
            assertThat(d.changes()).isFalse();
        }
    }

    @Test
    void tierLimitsApplyByTag() {
        Tier big = new Tier("db", Set.of(), Set.of("database"), PolicySettings.defaults().withLimits(2, 16, 1024, 65_536));
        ScalingPolicy p = new ScalingPolicy(PolicySettings.defaults(), List.of(big), Set.of(), Set.of());
        Allocation db = new Allocation("101", 4, 8192, true, null, false, List.of("database"));
        Decision d = p.decide(with(steady(3.9, 7800), 0.4, 0, 0, ANOMALOUS), db, BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(d.coresAfter()).isGreaterThan(4);
        assertThat(d.memoryMbAfter()).isGreaterThan(8192);
        Decision plain = ScalingPolicy.of(PolicySettings.defaults()).decide(with(steady(3.9, 7800), 0.4, 0, 0, ANOMALOUS),
                Allocation.running("101", 4, 8192), BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(plain.coresAfter()).isEqualTo(4);
    }

    @Test
    void growthStopsAtTheNodesCapacity() {
        NodeCapacity tight = new NodeCapacity(4, 8192, 4, 6144);
        Decision d = policy.decide(with(steady(1.95, 1000), 0, 0, 3, Anomaly.NONE), Allocation.running("101", 2, 1024), tight, PolicyState.INITIAL, NOW);
        assertThat(d.memoryMbAfter()).isLessThanOrEqualTo(8192 - 2048 - (6144 - 1024));
    }

    @Test
    void decisionIsDeterministic() {
        ContainerView v = with(steady(1.9, 1500), 0.2, 5, 0, ANOMALOUS);
        assertThat(decide(v, Allocation.running("101", 2, 2048))).isEqualTo(decide(v, Allocation.running("101", 2, 2048)));
    }
}
