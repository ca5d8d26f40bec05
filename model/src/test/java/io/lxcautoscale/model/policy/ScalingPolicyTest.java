package io.lxcautoscale.model.policy;

import static io.lxcautoscale.model.policy.Fixtures.ANOMALOUS;
import static io.lxcautoscale.model.policy.Fixtures.BIG_NODE;
import static io.lxcautoscale.model.policy.Fixtures.NORMAL;
import static io.lxcautoscale.model.policy.Fixtures.NOW;
import static io.lxcautoscale.model.policy.Fixtures.steady;
import static io.lxcautoscale.model.policy.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.testing.ShippedSettings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The whole chain, including the original's bugs as regression tests, with the shipped
 * {@code etc/lxc_autoscale_ml.yaml} settings: margins +10 % (CPU and memory_risk low), memory steps of
 * 64 MiB, memory floor = last hour's peak × 1.2 (at least + 64 MiB), reserve 1 core and 2048 MiB,
 * cpu_overcommit 4.0. Expected values are worked out by hand in the comments.
 */
class ScalingPolicyTest {
    private final ScalingPolicy policy = ScalingPolicy.of(ShippedSettings.policy());

    @Test
    void theCodesDefaultsAreTheShippedFile() {
        // ModelConfig.defaults() is what replays and docs/model.md use without a file: it must be what users get
        PolicySettings defaults = ModelConfig.defaults().policy();
        assertThat(defaults).isEqualTo(ShippedSettings.policy());
        // by hand from the shipped file at history.step_seconds 300: demand_window_hours 24 = 288 steps,
        // cpu_peak_minutes 60 = 12, cpu_warmup_hours 1 = 12, memory_risk low = 24 h = 288, memory_warmup_hours 24 = 288,
        // daily_lookahead_minutes 60 = 12
        assertThat(defaults.cpu().windowSteps()).isEqualTo(288);
        assertThat(defaults.cpu().peakSteps()).isEqualTo(12);
        assertThat(defaults.cpu().warmupSteps()).isEqualTo(12);
        assertThat(defaults.memory().windowSteps()).isEqualTo(288);
        assertThat(defaults.memory().warmupSteps()).isEqualTo(288);
        assertThat(defaults.memory().dailyLookaheadSteps()).isEqualTo(12);
        assertThat(defaults.node().cpuOvercommit()).isEqualTo(4.0);
    }

    private Decision decide(ContainerView v, Allocation a) {
        return policy.decide(v, a, BIG_NODE, PolicyState.INITIAL, NOW);
    }

    @Test
    void aNormalPredictionNeverScalesUp() {
        // original F1: predict() = 1 ("normal") read as true sent a CT at 5.7 % CPU to the maximum
        Decision d = decide(with(steady(0.114, 600), 0, 0, 0, NORMAL), Allocation.running("101", 2, 2048));
        assertThat(d.cpuAction()).isNotEqualTo(Action.UP);
        assertThat(d.memoryAction()).isNotEqualTo(Action.UP);
        // CPU 0.114 × 1.10 = 0.1254 → 1 core (down from 2: calm, no cooldown yet)
        assertThat(d.coresAfter()).isEqualTo(1);
        // memory 600 × 1.10 = 660 → 704 (11 × 64), below the floor max(600 × 1.2, 600 + 64) = 720 → 720
        assertThat(d.memoryMbAfter()).isEqualTo(720);
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
        // CPU 7.2 × 1.10 = 7.92 → 8 cores; above max 4, but never below its demand of 8: stays at 8
        assertThat(d.coresAfter()).isEqualTo(8);
        // memory 6000 × 1.10 = 6600 → 6656 (104 × 64); brought down toward max 8192 but not below
        // max(8192, 6600) = 8192; the floor max(6000 × 1.2, 6064) = 7200 is below that
        assertThat(d.memoryMbAfter()).isEqualTo(8192);
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
        // demand 1.9 / (1 − 0.3) = 2.714 × 1.10 = 2.986; the boost asks for at least 2 + 1 = 3 → 3 cores
        assertThat(d.coresAfter()).isEqualTo(3);
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
        // OOM bump of used = max(1024 allocated, 1000 peak) = 1024: max(1024 + 100, 1024 × 1.2 = 1228.8) = 1228.8
        // (above 1000 × 1.10 = 1100 and 1024 + 64) → 1280 (20 × 64)
        assertThat(d.memoryMbAfter()).isEqualTo(1280);
        assertThat(d.confidence()).isEqualTo(100);
    }

    @Test
    void memoryIsNeverLoweredBelowPeakPlusHeadroom() {
        Decision d = decide(steady(0.1, 1000), Allocation.running("101", 1, 4096));
        assertThat(d.memoryAction()).isEqualTo(Action.DOWN);
        // estimate 1000 × 1.10 = 1100 → 1152 (18 × 64), below the floor max(1000 × 1.2, 1064) = 1200 → 1200
        assertThat(d.memoryMbAfter()).isEqualTo(1200);
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
        ScalingPolicy p = new ScalingPolicy(ShippedSettings.policy(), List.of(), Set.of("105"), Set.of("autoscale-off"));
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
        Tier big = new Tier("db", Set.of(), Set.of("database"), ShippedSettings.policy().withLimits(2, 16, 1024, 65_536));
        ScalingPolicy p = new ScalingPolicy(ShippedSettings.policy(), List.of(big), Set.of(), Set.of());
        Allocation db = new Allocation("101", 4, 8192, true, null, false, List.of("database"));
        Decision d = p.decide(with(steady(3.9, 7800), 0.4, 0, 0, ANOMALOUS), db, BIG_NODE, PolicyState.INITIAL, NOW);
        // CPU demand 3.9 / (1 − 0.4) = 6.5 × 1.10 = 7.15 → 8 cores (urgent: anomalous and 97.5 % hot)
        assertThat(d.coresAfter()).isEqualTo(8);
        // memory 7800 × 1.10 = 8580 → 8640 (135 × 64), urgent (95 % of 8192)
        assertThat(d.memoryMbAfter()).isEqualTo(8640);
        Decision plain = ScalingPolicy.of(ShippedSettings.policy()).decide(with(steady(3.9, 7800), 0.4, 0, 0, ANOMALOUS),
                Allocation.running("101", 4, 8192), BIG_NODE, PolicyState.INITIAL, NOW);
        // the global limits: max 4 cores, max 8192 MiB
        assertThat(plain.coresAfter()).isEqualTo(4);
        assertThat(plain.memoryMbAfter()).isEqualTo(8192);
    }

    @Test
    void growthStopsAtTheNodesCapacity() {
        // a 4-CPU, 8 GiB host whose containers hold 4 cores and 6016 MiB, this one 2 cores and 1024 MiB
        NodeCapacity tight = new NodeCapacity(4, 8192, 4, 6016);
        Decision d = policy.decide(with(steady(1.95, 1000), 0, 0, 3, Anomaly.NONE), Allocation.running("101", 2, 1024), tight, PolicyState.INITIAL, NOW);
        // the OOM kill asks for 1280 MiB (as in anOomKillRaisesMemory); the node gives
        // 8192 − 2048 reserve − (6016 − 1024) held by others = 1152
        assertThat(d.memoryMbAfter()).isEqualTo(1152);
        // CPU 1.95 × 1.10 = 2.145 → 3 cores; one container may have 4 − 1 = 3, and Σ cores may reach
        // (4 − 1) × 4.0 = 12 of which others hold 2: the 3rd core fits
        assertThat(d.coresAfter()).isEqualTo(3);
    }
}
