package io.lxcautoscale.model.policy;

import static io.lxcautoscale.model.policy.Fixtures.ANOMALOUS;
import static io.lxcautoscale.model.policy.Fixtures.NOW;
import static io.lxcautoscale.model.policy.Fixtures.input;
import static io.lxcautoscale.model.policy.Fixtures.steady;
import static io.lxcautoscale.model.policy.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lxcautoscale.model.testing.ShippedSettings;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each policy step on its own. */
class PolicyStepsTest {
    private static Proposal targets(PolicyInput in, double cpu, double memory) {
        return Proposal.keep(in).withTargets(cpu, memory);
    }

    /** The shipped settings with memory preset {@code risk} and its window cut to {@code steps} (no key sets the window alone). */
    private static PolicySettings memoryWindow(MemoryRisk risk, int steps) {
        PolicySettings shipped = ShippedSettings.policy();
        PolicySettings.Memory m = shipped.memory();
        PolicySettings.Memory cut = new PolicySettings.Memory(m.minMb(), m.maxMb(), m.stepMb(), m.upPercent(), risk, steps,
                m.warmupSteps(), m.dailyLookaheadSteps(), m.headroomFraction(), m.headroomMinMb(), m.pressurePercent());
        return new PolicySettings(shipped.cpu(), cut, shipped.cooldowns(), shipped.node(), shipped.minConfidence());
    }

    @Nested
    class DemandEstimateStep {
        @Test
        void takesTheCpuPercentileOrTheRecentPeakAndTheMemoryPeak() {
            double[] cpu = new double[100];
            double[] mem = new double[100];
            for (int i = 0; i < 100; i++) {
                cpu[i] = (99 - i) / 100.0 * 2;   // 1.98 … 0 cores: the last hour (12 steps) is at most 0.22
                mem[i] = 500 + i;                // peak 599
            }
            ContainerView v = new ContainerView("101", 300, NOW.getEpochSecond(), cpu, mem, 0.0, 550, 0, 0, 0, Anomaly.NONE);
            PolicyInput in = input(v, Allocation.running("101", 2, 1024), ShippedSettings.policy().withDailyLookaheadSteps(0));
            Proposal p = new DemandEstimate().apply(Proposal.keep(in), in);
            assertThat(p.cpuTargetCores()).isCloseTo(1.88, within(1e-9));   // p95 of 100 values = the 95th
            assertThat(p.memoryTargetMb()).isEqualTo(599);

            double[] rising = new double[100];
            for (int i = 0; i < 100; i++) {
                rising[i] = i < 95 ? 0.1 : 1.5;   // p95 0.1, but 1.5 cores within the last hour
            }
            ContainerView burst = new ContainerView("101", 300, NOW.getEpochSecond(), rising, mem, 0.1, 550, 0, 0, 0, Anomaly.NONE);
            PolicyInput in2 = input(burst, Allocation.running("101", 2, 1024), ShippedSettings.policy().withDailyLookaheadSteps(0));
            assertThat(new DemandEstimate().apply(Proposal.keep(in2), in2).cpuTargetCores()).isEqualTo(1.5);
        }

        @Test
        void aThrottledContainersDemandIsItsUseOverTheUnthrottledShare() {
            ContainerView v = new ContainerView("101", 300, NOW.getEpochSecond(), new double[] {1, 1, 1}, new double[] {500, 500, 500},
                    1.0, 500, 0.5, 0, 0, Anomaly.NONE);
            PolicyInput in = input(v, Allocation.running("101", 1, 1024));
            assertThat(new DemandEstimate().apply(Proposal.keep(in), in).cpuTargetCores()).isCloseTo(2.0, within(1e-9));
            // a share of 1 (all time throttled) is capped, so one odd sample cannot ask for unbounded cores
            ContainerView all = new ContainerView("101", 300, NOW.getEpochSecond(), new double[] {1}, new double[] {500},
                    1.0, 500, 1.0, 0, 0, Anomaly.NONE);
            PolicyInput in2 = input(all, Allocation.running("101", 1, 1024));
            assertThat(new DemandEstimate().apply(Proposal.keep(in2), in2).cpuTargetCores()).isCloseTo(10.0, within(1e-9));
        }

        @Test
        void raisesTheMemoryTargetToYesterdaysComingPeak() {
            int steps = 288 * 2;
            double[] cpu = new double[steps];
            double[] mem = new double[steps];
            Arrays.fill(cpu, 0.5);
            Arrays.fill(mem, 400);
            // yesterday, 30 min after "now", a 3000 MiB peak
            mem[steps - 1 - 288 + 6] = 3000;
            ContainerView v = new ContainerView("101", 300, NOW.getEpochSecond(), cpu, mem, 0.5, 400, 0, 0, 0, Anomaly.NONE);
            // a memory window of 12 steps misses the peak; the look-ahead of the `low` preset finds it
            PolicySettings s = memoryWindow(MemoryRisk.LOW, 12);
            PolicyInput in = input(v, Allocation.running("101", 1, 1024), s);
            Proposal p = new DemandEstimate().apply(Proposal.keep(in), in);
            assertThat(p.memoryTargetMb()).isEqualTo(3000);
            assertThat(p.memoryPredicted()).isTrue();
            assertThat(p.cpuTargetCores()).isEqualTo(0.5);
            // the `medium` preset has no look-ahead (its 24 h window holds yesterday's peak 30 min ahead, a 12-step one does not)
            PolicyInput medium = input(v, Allocation.running("101", 1, 1024), s.withMemoryRisk(MemoryRisk.MEDIUM, 300));
            PolicySettings highShort = memoryWindow(MemoryRisk.HIGH, 12);
            PolicyInput in3 = input(v, Allocation.running("101", 1, 1024), highShort);
            assertThat(new DemandEstimate().apply(Proposal.keep(in3), in3).memoryTargetMb()).isEqualTo(400);
            assertThat(new DemandEstimate().apply(Proposal.keep(medium), medium).memoryTargetMb()).isEqualTo(3000);   // 24 h window holds it
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
    void marginsComeFromCpuMarginAndTheMemoryRisk() {
        PolicyInput in = input(steady(1, 1000), Allocation.running("101", 2, 2048));
        Proposal p = new Margin().apply(targets(in, 2.0, 1000), in);
        assertThat(p.cpuTargetCores()).isCloseTo(2.2, within(1e-9));     // cpu_margin_percent 10
        assertThat(p.memoryTargetMb()).isCloseTo(1100, within(1e-9));    // memory_risk low: +10 %
        PolicyInput lowest = input(steady(1, 1000), Allocation.running("101", 2, 2048),
                ShippedSettings.policy().withMemoryRisk(MemoryRisk.LOWEST, 300));
        assertThat(new Margin().apply(targets(lowest, 2.0, 1000), lowest).memoryTargetMb()).isCloseTo(1300, within(1e-9));
    }

    @Nested
    class AnomalyBoostStep {
        @Test
        void anomalousHotCpuBecomesUrgent() {
            // 1.9 cores + 10 % margin = 2.09 has outgrown 2 cores
            PolicyInput in = input(with(steady(1.9, 500), 0, 0, 0, ANOMALOUS), Allocation.running("101", 2, 2048));
            Proposal p = new AnomalyBoost().apply(targets(in, 2.19, 575), in);
            assertThat(p.cpuUrgent()).isTrue();
            assertThat(p.cpuTargetCores()).isGreaterThanOrEqualTo(3);
            assertThat(p.memoryUrgent()).isFalse();
        }

        @Test
        void anAnomalyWhoseDemandStillFitsIsNotUrgent() {
            // 1.8 cores + 10 % = 1.98 fits in 2: unusual, but nothing to rescue
            PolicyInput in = input(with(steady(1.8, 500), 0, 0, 0, ANOMALOUS), Allocation.running("101", 2, 2048));
            Proposal p = new AnomalyBoost().apply(targets(in, 2.07, 575), in);
            assertThat(p.cpuUrgent()).isFalse();
            assertThat(p.cpuTargetCores()).isEqualTo(2.07);
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
        void holdsWhileTheTargetFitsTheAllocation() {
            PolicyInput in = input(steady(1.0, 1000), Allocation.running("101", 2, 2048));
            // 1.15 cores still need 2; 1900 MiB is less than 10 % below 2048
            Proposal p = new Hysteresis().apply(targets(in, 1.15, 1900), in);
            assertThat(p.cores()).isEqualTo(2);
            assertThat(p.memoryMb()).isEqualTo(2048);
            // not hot (50 % < 75 %): a target above the allocation alone does not scale up
            Proposal notHot = new Hysteresis().apply(targets(in, 2.5, 1900), in);
            assertThat(notHot.cores()).isEqualTo(2);
        }

        @Test
        void waitsForTheUpCooldownUnlessUrgent() {
            PolicyState recent = new PolicyState(NOW.minusSeconds(60), null);
            PolicyInput in = new PolicyInput(steady(1.8, 500), Allocation.running("101", 2, 2048), Fixtures.BIG_NODE, recent, NOW, ShippedSettings.policy());
            assertThat(new Hysteresis().apply(targets(in, 3.0, 575), in).cores()).isEqualTo(2);
            Proposal urgent = targets(in, 3.0, 575).withFlags(true, false, false);
            assertThat(new Hysteresis().apply(urgent, in).cores()).isEqualTo(3);
        }

        @Test
        void scalesDownStraightToTheTargetOnlyWhenCalmAndCooledDown() {
            PolicyInput in = input(steady(0.2, 300), Allocation.running("101", 4, 4096));
            Proposal p = new Hysteresis().apply(targets(in, 0.23, 345), in);
            assertThat(p.cores()).isEqualTo(1);
            assertThat(p.memoryMb()).isEqualTo(384);   // whole 64 MiB steps above the target

            PolicyState recent = new PolicyState(NOW.minusSeconds(600), NOW.minusSeconds(600));
            PolicyInput cooling = new PolicyInput(steady(0.2, 300), Allocation.running("101", 4, 4096), Fixtures.BIG_NODE, recent, NOW, ShippedSettings.policy());
            Proposal held = new Hysteresis().apply(targets(cooling, 0.23, 345), cooling);
            assertThat(held.cores()).isEqualTo(4);
            assertThat(held.memoryMb()).isEqualTo(4096);

            PolicyInput throttled = input(with(steady(0.2, 300), 0.5, 50, 0, Anomaly.NONE), Allocation.running("101", 4, 4096));
            Proposal busy = new Hysteresis().apply(targets(throttled, 0.23, 345), throttled);
            assertThat(busy.cores()).isEqualTo(4);
            assertThat(busy.memoryMb()).isEqualTo(4096);
        }

        @Test
        void memoryComesDownOnlyWhenTheTargetIsAFifthBelowTheAllocation() {
            PolicyInput in = input(steady(0.2, 300), Allocation.running("101", 4, 2048));
            // band: 2048 × 0.8 = 1638.4 MiB. 1700 MiB rounds up to 1728 (27 × 64): 15.6 % below, kept
            assertThat(new Hysteresis().apply(targets(in, 0.23, 1700), in).memoryMb()).isEqualTo(2048);
            // 1600 MiB = 25 × 64: 21.9 % below, lowered to it
            assertThat(new Hysteresis().apply(targets(in, 0.23, 1600), in).memoryMb()).isEqualTo(1600);
        }

        @Test
        void anExpectedDailyPeakRaisesTheTargetButDoesNotStartAnIncrease() {
            // 1000 of 2048 MiB used (49 %, not above 75 %): the expected peak's 2500 MiB waits for the use
            PolicyInput cool = input(steady(1.0, 1000), Allocation.running("101", 2, 2048));
            Proposal waiting = new Hysteresis().apply(targets(cool, 1.0, 2500).withFlags(false, false, true), cool);
            assertThat(waiting.memoryMb()).isEqualTo(2048);
            assertThat(waiting.reasons()).anyMatch(r -> r.contains("expected daily peak"));
            // 1700 of 2048 MiB used (83 %): the increase covers the expected peak at once, 2500 → 2560 (40 × 64)
            PolicyInput hot = input(steady(1.0, 1700), Allocation.running("101", 2, 2048));
            assertThat(new Hysteresis().apply(targets(hot, 1.0, 2500).withFlags(false, false, true), hot).memoryMb()).isEqualTo(2560);
        }

        @Test
        void memoryIsNotLoweredBeforeTheHistoryCoversADay() {
            PolicyInput young = input(steady(0.2, 300, 287), Allocation.running("101", 4, 4096));
            Proposal p = new Hysteresis().apply(targets(young, 0.23, 345), young);
            assertThat(p.cores()).isEqualTo(1);          // CPU has no warm-up: a shortfall only throttles
            assertThat(p.memoryMb()).isEqualTo(4096);
            PolicyInput day = input(steady(0.2, 300, 288), Allocation.running("101", 4, 4096));
            assertThat(new Hysteresis().apply(targets(day, 0.23, 345), day).memoryMb()).isEqualTo(384);
            // memory_warmup_hours: 0 turns it off
            PolicySettings off = ShippedSettings.policyWith("scaling: {memory_warmup_hours: 0}");
            PolicyInput fresh = input(steady(0.2, 300, 12), Allocation.running("101", 4, 4096), off);
            assertThat(new Hysteresis().apply(targets(fresh, 0.23, 345), fresh).memoryMb()).isEqualTo(384);
            // a preset with a shorter window needs only that window: `highest` looks at 3 h = 36 steps
            PolicySettings highest = ShippedSettings.policy().withMemoryRisk(MemoryRisk.HIGHEST, 300);
            PolicyInput threeHours = input(steady(0.2, 300, 36), Allocation.running("101", 4, 4096), highest);
            assertThat(new Hysteresis().apply(targets(threeHours, 0.23, 345), threeHours).memoryMb()).isEqualTo(384);
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
        PolicySettings s = ShippedSettings.policy().withMinConfidence(90);
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
        PolicyInput in = new PolicyInput(steady(1, 900), Allocation.running("101", 2, 1024), node, PolicyState.INITIAL, NOW, ShippedSettings.policy());
        Proposal p = new NodeCapacityLimit().apply(Proposal.keep(in).withAllocation(8, 4096), in);
        assertThat(p.memoryMb()).isEqualTo(2048);
        // one container gets at most 8 − 1 reserve = 7 cores; the pool (8 − 1) × 4.0 − 4 held by others = 24 does not bind
        assertThat(p.cores()).isEqualTo(7);
        // others hold 24 cores: the pool (8 − 1) × 4.0 = 28 leaves 28 − 24 = 4
        NodeCapacity crowded = new NodeCapacity(8, 16_384, 26, 12_288 + 1024);
        PolicyInput in2 = new PolicyInput(steady(1, 900), Allocation.running("101", 2, 1024), crowded, PolicyState.INITIAL, NOW, ShippedSettings.policy());
        assertThat(new NodeCapacityLimit().apply(Proposal.keep(in2).withAllocation(8, 1024), in2).cores()).isEqualTo(4);
    }

    @Test
    void nodeCapacityNeverTakesAway() {
        NodeCapacity full = new NodeCapacity(4, 4096, 16, 16_384);
        PolicyInput in = new PolicyInput(steady(1, 900), Allocation.running("101", 2, 1024), full, PolicyState.INITIAL, NOW, ShippedSettings.policy());
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
