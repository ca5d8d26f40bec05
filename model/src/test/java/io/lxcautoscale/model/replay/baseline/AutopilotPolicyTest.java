package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Resources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AutopilotPolicyTest {
    @Test
    void pinsTheMovingWindowRecommenderConstants() {
        assertThat(AutopilotPolicy.CPU_PERCENTILE).isEqualTo(0.95);
        assertThat(AutopilotPolicy.MEMORY_PERCENTILE).isEqualTo(0.98);
        assertThat(AutopilotPolicy.CPU_HALF_LIFE_SECONDS).isEqualTo(12 * 3600);
        assertThat(AutopilotPolicy.MEMORY_HALF_LIFE_SECONDS).isEqualTo(48 * 3600);
        assertThat(AutopilotPolicy.MARGIN).isEqualTo(0.10);
        assertThat(AutopilotPolicy.WINDOW_SECONDS).isEqualTo(300);
        assertThat(AutopilotPolicy.MAX_OVER_SECONDS).isEqualTo(3600);
    }

    @Test
    void holdsTheMaximumRecommendationOfTheLastHour() {
        AutopilotPolicy p = new AutopilotPolicy(Bounds.forProvisioned(8, 8192, true), 300);
        Resources r = p.observe(Obs.of(0, 0, 3.0, 1000, 8, 8192));
        assertThat(r.cores()).isEqualTo(4);                    // p95 bucket end of 3.0, + 10 %, rounded up
        assertThat(r.memoryMb()).isBetween(1100, 1160);        // p98 of the peak + 10 %
        Resources at11 = null;
        Resources at40 = null;
        for (int i = 1; i <= 40; i++) {
            Resources x = p.observe(Obs.of(i, 300L * i, 0.1, 1000, r.cores(), r.memoryMb()));
            if (i == 11) {
                at11 = x;
            }
            if (i == 40) {
                at40 = x;
            }
        }
        assertThat(at11.cores()).isEqualTo(4);                 // still within the hour of the burst
        assertThat(at40.cores()).isEqualTo(1);                 // burst below p95 and older than an hour
    }

    @Test
    void shorterStepsAreAggregatedIntoFiveMinuteWindows() {
        AutopilotPolicy p = new AutopilotPolicy(Bounds.forProvisioned(8, 8192, true), 60);
        // the first four 60-s steps of the window give no recommendation yet: the allocation stays
        for (int i = 0; i < 4; i++) {
            assertThat(p.observe(Obs.of(i, 60L * i, 0.2, 500, 8, 8192))).isEqualTo(new Resources(8, 8192));
        }
        // the fifth closes the window: mean CPU 1.0 → 2 cores (bucket end × 1.1 rounded up)
        Resources r = p.observe(Obs.of(4, 240, 4.2, 500, 8, 8192));
        assertThat(r.cores()).isEqualTo(2);
    }

    @Test
    void staticKeepsTheProvisionedSize() {
        StaticPolicy s = new StaticPolicy(Bounds.forProvisioned(4, 2048, true));
        assertThat(s.observe(Obs.of(0, 0, 4.0, 2048, 4, 2048))).isEqualTo(new Resources(4, 2048));
        assertThat(s.observe(Obs.oom(1, 300, 0.1, 1, 256))).isEqualTo(new Resources(4, 2048));
    }
}
