package io.lxcautoscale.model.policy;

import static io.lxcautoscale.model.policy.Fixtures.ANOMALOUS;
import static io.lxcautoscale.model.policy.Fixtures.BIG_NODE;
import static io.lxcautoscale.model.policy.Fixtures.NOW;
import static io.lxcautoscale.model.policy.Fixtures.steady;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.model.testing.ShippedSettings;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy against Proxmox's controls as a real host enforces them: {@code cores} is a cpuset (use flattens
 * at the core count, tasks wait: CPU pressure, never throttling), {@code cpulimit} is {@code cpu.max} (the
 * only source of throttling), a container may have no {@code cores} line. Expected values worked out by hand
 * from the shipped defaults (p95 + 10 % margin, up at 75 %, cooldowns 300 / 3600 s, CPU warm-up 12 steps).
 */
class RealHostPolicyTest {
    private final ScalingPolicy policy = ScalingPolicy.of(ShippedSettings.policy());

    /** A copy of {@code v} with the latest throttled share and CPU pressure (PSI cpu some avg10, %). */
    private static ContainerView cpu(ContainerView v, double throttled, double cpuPressure, Anomaly anomaly) {
        return new ContainerView(v.vmid(), v.stepSeconds(), v.lastStepEndEpochSecond(), v.cpuCores(), v.memoryPeakMb(),
                v.recentCpuCores(), v.recentMemoryMb(), throttled, v.memoryPressurePercent(), v.oomKills(), anomaly, cpuPressure);
    }

    private static Allocation limited(int cores, int memoryMb, double cpulimit) {
        return new Allocation("101", cores, memoryMb, true, null, false, List.of(), cpulimit);
    }

    @Test
    void aCpusetBoundContainerAtItsCoreCountWithPressureScalesUpWithoutAnyThrottling() {
        // 1.98 of 2 cores, nr_throttled 0, tasks waiting 40 % of the time: demand 1.98 / (1 - 0.40) = 3.3, + 10 % = 3.63 → 4
        Decision d = policy.decide(cpu(steady(1.98, 500), 0, 40, Anomaly.NONE), Allocation.running("101", 2, 2048), BIG_NODE,
                PolicyState.INITIAL, NOW);
        assertThat(d.cpuAction()).isEqualTo(Action.UP);
        assertThat(d.coresAfter()).isEqualTo(4);
        assertThat(d.reason()).contains("CPU pressure 40%");
        // the same use without pressure information: 1.98 + 10 % = 2.18 → 3
        Decision blind = policy.decide(cpu(steady(1.98, 500), 0, Double.NaN, Anomaly.NONE), Allocation.running("101", 2, 2048),
                BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(blind.coresAfter()).isEqualTo(3);
    }

    @Test
    void pressureFromHostContentionBelowTheCoreCountIsNotStarvation() {
        // 1 of 2 cores used (50 %), 40 % pressure because the host's CPUs are busy: more cores would not help it
        Decision d = policy.decide(cpu(steady(1.0, 500), 0, 40, Anomaly.NONE), Allocation.running("101", 2, 2048), BIG_NODE,
                PolicyState.INITIAL, NOW);
        assertThat(d.cpuAction()).isEqualTo(Action.NONE);
    }

    @Test
    void aCpulimitBoundContainerIsNeverDrivenToMaxCores() {
        // cores 2, cpulimit 1.5: throttled 60 % at 1.5 cores; demand 1.5 / 0.4 = 3.75 → 5 cores wanted, max 4 —
        // but cores beyond 2 cannot lift cpu.max = 1.5 CPUs
        Allocation a = limited(2, 2048, 1.5);
        PolicyState state = PolicyState.INITIAL;
        for (int cycle = 0; cycle < 20; cycle++) {
            Instant now = NOW.plusSeconds(600L * cycle);
            Decision d = policy.decide(cpu(steady(1.5, 500), 0.6, Double.NaN, ANOMALOUS), a, BIG_NODE, state, now);
            assertThat(d.coresAfter()).as("cycle %d", cycle).isEqualTo(2);
            assertThat(d.reason()).contains("bound by cpulimit 1.5: no cores added");
            state = state.applied(d, now);
            a = a.withCoresAndMemory(d.coresAfter(), d.memoryMbAfter());
        }
    }

    @Test
    void coresBelowTheCpulimitGrowOnlyUpToIt() {
        // cores 1, cpulimit 1.5, 1 core used and throttled 50 %: 1 / 0.5 = 2 + 10 % = 2.2 → 3 wanted; ceil(1.5) = 2 is all that helps
        Decision d = policy.decide(cpu(steady(1.0, 500), 0.5, Double.NaN, Anomaly.NONE), limited(1, 2048, 1.5), BIG_NODE,
                PolicyState.INITIAL, NOW);
        assertThat(d.coresAfter()).isEqualTo(2);
        assertThat(d.reason()).contains("up to 2 cores (cpulimit 1.5)");
    }

    @Test
    void noScaleDownFromMinutesOfCpuHistoryAfterAFreshStart() {
        // 4 steps (20 min) of an idle container on 4 cores: the estimate says 1, the warm-up (12 steps) says not yet
        Decision young = policy.decide(steady(0.1, 500, 4), Allocation.running("101", 4, 2048), BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(young.cpuAction()).isEqualTo(Action.NONE);
        assertThat(young.reason()).contains("4 of the 12 steps of warm-up");
        Decision warm = policy.decide(steady(0.1, 500, 12), Allocation.running("101", 4, 2048), BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(warm.coresAfter()).isEqualTo(1);
    }

    @Test
    void aContainerWithNoCoresLineIsNotCutToOneCore() {
        // no cores line: it may use all 32 host CPUs; 0.2 cores used would "fit in 1"
        Decision d = policy.decide(steady(0.2, 500), Allocation.running("101", 0, 2048), BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(d.cpuAction()).isEqualTo(Action.NONE);
        assertThat(d.reason()).contains("no cores line (may use all 32 host CPUs): CPU left alone");
    }

    @Test
    void anOomMakesMemorySafeFromTheConfidenceGateButNeverTheCoresChange() {
        // 10 steps of history: confidence 10 / 288 = 3.5 % < 90 for the cores change (1.9 → 3 cores)
        ScalingPolicy strict = ScalingPolicy.of(ShippedSettings.policy().withMinConfidence(90));
        ContainerView v = Fixtures.with(steady(1.9, 1900, 10), 0, 0, 1, Anomaly.NONE);
        Decision d = strict.decide(v, Allocation.running("101", 2, 2048), BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(d.memoryAction()).isEqualTo(Action.UP);
        assertThat(d.cpuAction()).isEqualTo(Action.NONE);
        assertThat(d.reason()).contains("cores change held");
    }

    @Test
    void aScaleDownIsNotFollowedByAnAnomalyDrivenScaleUpInASteadyWorkload() {
        // a day at 0.85 cores on 2: p95 0.85 + 10 % = 0.935 → 1 core
        Allocation a = Allocation.running("101", 2, 2048);
        Decision down = policy.decide(steady(0.85, 500), a, BIG_NODE, PolicyState.INITIAL, NOW);
        assertThat(down.coresAfter()).isEqualTo(1);
        PolicyState state = PolicyState.INITIAL.applied(down, NOW);
        a = a.withCoresAndMemory(down.coresAfter(), down.memoryMbAfter());
        // the same workload is now 85 % of its allocation: the anomaly model flags the jump (features in % of it),
        // a minute later and ten minutes later (past one step and the up-cooldown, before the hourly retraining)
        for (long seconds : new long[] {60, 600}) {
            Decision next = policy.decide(cpu(steady(0.85, 500), 0, 2, ANOMALOUS), a, BIG_NODE, state, NOW.plusSeconds(seconds));
            assertThat(next.cpuAction()).as("%d s after the scale-down", seconds).isEqualTo(Action.NONE);
            assertThat(next.memoryAction()).as("%d s after the scale-down", seconds).isNotEqualTo(Action.UP);
            assertThat(next.urgent()).isFalse();
        }
    }
}
