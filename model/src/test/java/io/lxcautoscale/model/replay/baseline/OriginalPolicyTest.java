package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Resources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OriginalPolicyTest {
    @Test
    void pinsTheOriginalsShippedRule() {
        assertThat(OriginalPolicy.UPPER_PERCENT).isEqualTo(75);
        assertThat(OriginalPolicy.LOWER_PERCENT).isEqualTo(30);
        assertThat(OriginalPolicy.CORE_STEP).isEqualTo(1);
        assertThat(OriginalPolicy.MEMORY_STEP_MB).isEqualTo(512);
        assertThat(OriginalPolicy.INTERVAL_SECONDS).isEqualTo(600);
        assertThat(OriginalPolicy.MIN_CORES).isEqualTo(2);
        assertThat(OriginalPolicy.MAX_CORES).isEqualTo(4);
        assertThat(OriginalPolicy.MIN_MEMORY_MB).isEqualTo(1024);
        assertThat(OriginalPolicy.MAX_MEMORY_MB).isEqualTo(8192);
    }

    @Test
    void oneStepPerDecisionEvery600SecondsInsideTheIntersectedRange() {
        OriginalPolicy p = new OriginalPolicy(Bounds.forProvisioned(8, 16384, true));
        // 6 % CPU and memory: one step down each (its own max(cur - step, min), from above its max)
        assertThat(p.observe(Obs.of(0, 0, 0.5, 1000, 8, 16384))).isEqualTo(new Resources(7, 15872));
        // 300 s later: no decision
        assertThat(p.observe(Obs.of(1, 300, 0.1, 100, 7, 15872))).isEqualTo(new Resources(7, 15872));
        // 600 s after the last decision: hot CPU (90 %) → min(cur + 1, max 4) = 4; memory 80 % → min(+512, 8192)
        assertThat(p.observe(Obs.of(2, 600, 6.3, 12700, 7, 15872))).isEqualTo(new Resources(4, 8192));
        // between the thresholds nothing changes
        assertThat(p.observe(Obs.of(3, 1200, 2.0, 4000, 4, 8192))).isEqualTo(new Resources(4, 8192));
    }

    @Test
    void rangeIsIntersectedWithTheBounds() {
        OriginalPolicy one = new OriginalPolicy(Bounds.forProvisioned(1, 512, true));
        assertThat(one.minCores()).isEqualTo(1);
        assertThat(one.maxCores()).isEqualTo(1);
        assertThat(one.minMemoryMb()).isEqualTo(512);
        assertThat(one.maxMemoryMb()).isEqualTo(512);
        OriginalPolicy big = new OriginalPolicy(Bounds.forProvisioned(32, 65536, true));
        assertThat(big.minCores()).isEqualTo(2);
        assertThat(big.maxCores()).isEqualTo(4);
        assertThat(big.minMemoryMb()).isEqualTo(1024);
        assertThat(big.maxMemoryMb()).isEqualTo(8192);
        // a hot 1-core container cannot grow beyond its provisioned size
        assertThat(one.observe(Obs.of(0, 0, 1.0, 500, 1, 512))).isEqualTo(new Resources(1, 512));
    }
}
