package io.lxcautoscale.model.policy;

import static io.lxcautoscale.model.policy.Fixtures.ANOMALOUS;
import static io.lxcautoscale.model.policy.Fixtures.NOW;
import static io.lxcautoscale.model.policy.Fixtures.input;
import static io.lxcautoscale.model.policy.Fixtures.steady;
import static io.lxcautoscale.model.policy.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each policy step on its own. */
class PolicyStepsTest {
    private static Proposal targets(PolicyInput in, double cpu, double memory) {
        return Proposal.keep(in).withTargets(cpu, memory);
    }

    @Nested
    class DemandEstimateStep {
        @Test
        void takesTheCpuPercentileAndTheMemoryPeak() {
            double[] cpu = new double[100];
            double[] mem = new double[100];
            for (int i = 0; i < 100; i++) {
                cpu[i] = i / 100.0 * 2;      // 0 … 1.98 cores
                mem[i] = 500 + i;            // peak 599
            }
            ContainerView v = new ContainerView("101", 300, NOW.getEpochSecond(), cpu, mem, 1, 550, 0, 0, 0, Anomaly.NONE);
            PolicyInput in = input(v, Allocation.running("101", 2, 1024), PolicySettings.defaults().withDailyLookaheadSteps(0));
            Proposal p = new DemandEstimate().apply(Proposal.keep(in), in);
            assertThat(p.cpuTargetCores()).isCloseTo(1.88, within(1e-9));   // p95 of 100 values = the 95th
            assertThat(p.memoryTargetMb()).isEqualTo(599);
        }

        @Test
        void raisesTheTargetToYesterdaysComingPeak() {
            int steps = 288 * 2;
            double[] cpu = new double[steps];
            double[] mem = new double[steps];
            Arrays.fill(cpu, 0.5);
            Arrays.fill(mem, 400);
            // yesterday, 30 min after "now", a 3-core peak
            cpu[steps - 1 - 288 + 6] = 3.0;
            ContainerView v = new ContainerView("101", 300, NOW.getEpochSecond(), cpu, mem, 0.5, 400, 0, 0, 0, Anomaly.NONE);
            // the day's own window (demand_window 12 steps) misses the peak; the look-ahead finds it
            PolicySettings s = new PolicySettings(1, 8, 512, 8192, 1, 512, 75, 30, 75, 30, 0.95, 12, 0.15, 12, 300, 3600, 0.1, 10, 0.2, 64, 0, 1, 2048, 1.0);
            PolicyInput in = input(v, Allocation.running("101", 1, 1024), s);
            Proposal p = new DemandEstimate().apply(Proposal.keep(in), in);
            assertThat(p.cpuTargetCores()).isEqualTo(3.0);
            assertThat(p.cpuPredicted()).isTrue();
        }

        @Test
        void noDataLeavesTargetsUnknown() {
            ContainerView v = new ContainerView("101", 300, NOW.getEpochSecond(), new double[0], new double[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Anomaly.NONE);
            PolicyInput in = input(v, Allocation.running("101", 2, 1024));
            Proposal p = new DemandEstimate().apply(Proposal.keep(in), in);
            assertThat(p.cpuTargetCores()).isNaN();
            assertThat(p.reasons()).anyMatch(r -> r.contains("no usage data"));
        }
    }

    @Test
    void marginAddsFifteenPercent() {
        PolicyInput in = input(steady(1, 1000), Allocation.running("101", 2, 2048));
        Proposal p = new Margin().apply(targets(in, 2.0, 1000), in);
        assertThat(p.cpuTargetCores()).isCloseTo(2.3, within(1e-9));
        assertThat(p.memoryTargetMb()).isCloseTo(1150, within(1e-9));
    }

    @Nested
    class AnomalyBoostStep {
        @Test
        void anomalousHotCpuBecomesUrgent() {
            PolicyInput in = input(with(steady(1.8, 500), 0, 0, 0, ANOMALOUS), Allocation.running("101", 2, 2048));
            Proposal p = new AnomalyBoost().apply(targets(in, 2.07, 575), in);
            assertThat(p.cpuUrgent()).isTrue();
            assertThat(p.cpuTargetCores()).isGreaterThanOrEqualTo(3);
            assertThat(p.memoryUrgent()).isFalse();
        }

        @Test
        void normalScoreWithHotCpuIsNotUrgent() {
            PolicyInput in = input(with(steady(1.8, 500), 0, 0, 0, Fixtures.NORMAL), Allocation.running("101", 2, 2048));
            Proposal p = new AnomalyBoost().apply(targets(in, 2.07, 575), in);
            assertThat(p.cpuUrgent()).isFalse();
            assertThat(p.cpuTargetCores()).isEqualTo(2.07);
        }

        @Test
        void anomalousButIdleIsNotUrgent() {
            PolicyInput in = input(with(steady(0.2, 500), 0, 0, 0, ANOMALOUS), Allocation.running("101", 2, 2048));
            Proposal p = new AnomalyBoost().apply(targets(in, 0.23, 575), in);
            assertThat(p.cpuUrgent()).isFalse();
            assertThat(p.memoryUrgent()).isFalse();
        }

        @Test
        void oomKillBumpsMemoryLikeVpa() {
            PolicyInput in = input(with(steady(0.5, 1000), 0, 0, 1, Anomaly.NONE), Allocation.running("101", 2, 1024));
            Proposal p = new AnomalyBoost().apply(targets(in, 0.6, 1150), in);
            assertThat(p.memoryUrgent()).isTrue();
            assertThat(p.safety()).isTrue();
            assertThat(p.memoryTargetMb()).isGreaterThanOrEqualTo(1024 * 1.2);
        }
    }

    @Nested
    class HysteresisStep {
        @Test
        void scalesUpByWholeStepsWhenHot() {
            PolicyInput in = input(steady(1.8, 500), Allocation.running("101", 2, 2048));
            Proposal p = new Hysteresis().apply(targets(in, 3.4, 575), in);
            assertThat(p.cores()).isEqualTo(4);
        }

        @Test
        void holdsBetweenTheThresholds() {
            PolicyInput in = input(steady(1.0, 1000), Allocation.running("101", 2, 2048));   // 50 %, 49 %
            Proposal p = new Hysteresis().apply(targets(in, 1.15, 1150), in);
            assertThat(p.cores()).isEqualTo(2);
            assertThat(p.memoryMb()).isEqualTo(2048);
        }

        @Test
        void waitsForTheUpCooldownUnlessUrgent() {
            PolicyState recent = new PolicyState(NOW.minusSeconds(60), null);
            PolicyInput in = new PolicyInput(steady(1.8, 500), Allocation.running("101", 2, 2048), Fixtures.BIG_NODE, recent, NOW, PolicySettings.defaults());
            assertThat(new Hysteresis().apply(targets(in, 3.0, 575), in).cores()).isEqualTo(2);
            Proposal urgent = targets(in, 3.0, 575).withFlags(true, false, false, false);
            assertThat(new Hysteresis().apply(urgent, in).cores()).isEqualTo(3);
        }

        @Test
        void scalesDownOneStepOnlyWhenColdAndCooledDown() {
            PolicyInput in = input(steady(0.2, 300), Allocation.running("101", 4, 4096));
            Proposal p = new Hysteresis().apply(targets(in, 0.23, 345), in);
            assertThat(p.cores()).isEqualTo(3);
            assertThat(p.memoryMb()).isEqualTo(4096 - 512);

            PolicyState recent = new PolicyState(NOW.minusSeconds(600), NOW.minusSeconds(600));
            PolicyInput cooling = new PolicyInput(steady(0.2, 300), Allocation.running("101", 4, 4096), Fixtures.BIG_NODE, recent, NOW, PolicySettings.defaults());
            Proposal held = new Hysteresis().apply(targets(cooling, 0.23, 345), cooling);
            assertThat(held.cores()).isEqualTo(4);
            assertThat(held.memoryMb()).isEqualTo(4096);
        }

        @Test
        void unknownUsageNeverScales() {
            ContainerView v = Fixtures.recent(steady(0.2, 300), Double.NaN, Double.NaN);
            PolicyInput in = input(v, Allocation.running("101", 4, 4096));
            Proposal p = new Hysteresis().apply(targets(in, 0.23, 345), in);
            assertThat(p.cores()).isEqualTo(4);
            assertThat(p.memoryMb()).isEqualTo(4096);
        }
    }

    @Test
    void confidenceGateHoldsWeakChangesButNotSafetyOnes() {
        PolicySettings s = PolicySettings.defaults().withMinConfidence(90);
        PolicyInput young = input(steady(1.8, 500, 10), Allocation.running("101", 2, 2048), s);   // 10 of 288 steps
        Proposal change = Proposal.keep(young).withAllocation(3, 2048);
        assertThat(new ConfidenceGate().apply(change, young).cores()).isEqualTo(2);
        assertThat(new ConfidenceGate().apply(change.asSafety(), young).cores()).isEqualTo(3);
        PolicyInput old = input(steady(1.8, 500), Allocation.running("101", 2, 2048), s);
        assertThat(new ConfidenceGate().apply(Proposal.keep(old).withAllocation(3, 2048), old).cores()).isEqualTo(3);
    }

    @Nested
    class LimitsStep {
        @Test
        void clampsIntoMinMax() {
            PolicyInput in = input(steady(1, 500), Allocation.running("101", 2, 2048));
            Proposal p = new Limits().apply(Proposal.keep(in).withTargets(10, 600).withAllocation(10, 300), in);
            assertThat(p.cores()).isEqualTo(4);
            assertThat(p.memoryMb()).isEqualTo(512);
        }

        @Test
        void bringsAContainerBelowMinUp() {
            PolicyInput in = input(steady(0.1, 100), Allocation.running("101", 1, 256));
            Proposal p = new Limits().apply(Proposal.keep(in).withTargets(0.1, 115), in);
            assertThat(p.memoryMb()).isEqualTo(512);
        }

        @Test
        void bringsAContainerAboveMaxDownButNotBelowItsDemand() {
            // 8 cores, max 4, using 6.5: goes to 8 → ceil(6.5 × 1.15) = 8 … stays; at 3 cores of use → 4
            PolicyInput busy = input(steady(6.5, 500), Allocation.running("101", 8, 2048));
            assertThat(new Limits().apply(Proposal.keep(busy).withTargets(7.475, 575), busy).cores()).isEqualTo(8);
            PolicyInput idle = input(steady(3, 500), Allocation.running("101", 8, 2048));
            assertThat(new Limits().apply(Proposal.keep(idle).withTargets(3.45, 575), idle).cores()).isEqualTo(4);
        }
    }

    @Test
    void nodeCapacityCountsWhatOthersHold() {
        // 16 GiB host, 2 GiB reserve, others hold 12 GiB: this one (1 GiB) may reach 2 GiB
        NodeCapacity node = new NodeCapacity(8, 16_384, 6, 12_288 + 1024);
        PolicyInput in = new PolicyInput(steady(1, 900), Allocation.running("101", 2, 1024), node, PolicyState.INITIAL, NOW, PolicySettings.defaults());
        Proposal p = new NodeCapacityLimit().apply(Proposal.keep(in).withAllocation(8, 4096), in);
        assertThat(p.memoryMb()).isEqualTo(2048);
        assertThat(p.cores()).isEqualTo(7 - 4);   // (8 − 1 reserve) − 4 cores held by others
    }

    @Test
    void nodeCapacityNeverTakesAway() {
        NodeCapacity full = new NodeCapacity(4, 4096, 16, 16_384);
        PolicyInput in = new PolicyInput(steady(1, 900), Allocation.running("101", 2, 1024), full, PolicyState.INITIAL, NOW, PolicySettings.defaults());
        Proposal p = new NodeCapacityLimit().apply(Proposal.keep(in).withAllocation(3, 2048), in);
        assertThat(p.cores()).isEqualTo(2);
        assertThat(p.memoryMb()).isEqualTo(1024);
    }

    @Test
    void memoryFloorKeepsPeakPlusHeadroom() {
        PolicyInput in = input(steady(0.1, 1000), Allocation.running("101", 1, 4096));
        Proposal p = new MemoryFloor().apply(Proposal.keep(in).withAllocation(1, 512), in);
        assertThat(p.memoryMb()).isEqualTo(1200);
        PolicyInput small = input(steady(0.1, 100), Allocation.running("101", 1, 4096));
        assertThat(new MemoryFloor().apply(Proposal.keep(small).withAllocation(1, 100), small).memoryMb()).isEqualTo(164);
    }
}
