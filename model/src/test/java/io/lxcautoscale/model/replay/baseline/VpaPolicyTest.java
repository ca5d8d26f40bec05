package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Resources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VpaPolicyTest {
    @Test
    void pinsTheVpaRecommenderDefaults() {
        assertThat(VpaPolicy.MARGIN).isEqualTo(0.15);
        assertThat(VpaPolicy.CPU_PERCENTILE).isEqualTo(0.9);
        assertThat(VpaPolicy.MEMORY_PERCENTILE).isEqualTo(0.9);
        assertThat(VpaPolicy.HALF_LIFE_SECONDS).isEqualTo(24 * 3600);
        assertThat(VpaPolicy.MEMORY_INTERVAL_SECONDS).isEqualTo(24 * 3600);
        assertThat(VpaPolicy.OOM_BUMP_RATIO).isEqualTo(1.2);
        assertThat(VpaPolicy.OOM_MIN_BUMP_MB).isEqualTo(100);
        assertThat(VpaPolicy.UPDATE_THRESHOLD).isEqualTo(0.10);
        assertThat(VpaPolicy.POD_MIN_CPU_CORES).isEqualTo(0.025);
        assertThat(VpaPolicy.POD_MIN_MEMORY_MB).isEqualTo(250);
        assertThat(VpaPolicy.CPU_SAMPLE_WEIGHT).isEqualTo(0.1);
        assertThat(VpaPolicy.BUCKET_RATIO).isEqualTo(1.05);
        // 176 buckets for both of VPA's histogram option sets
        assertThat(new DecayingHistogram(VpaPolicy.CPU_FIRST_BUCKET_CORES, VpaPolicy.CPU_MAX_CORES, 1.05, 1).numBuckets())
                .isEqualTo(176);
        assertThat(new DecayingHistogram(VpaPolicy.MEMORY_FIRST_BUCKET_BYTES, VpaPolicy.MEMORY_MAX_BYTES, 1.05, 1)
                .numBuckets()).isEqualTo(176);
    }

    @Test
    void histogramPercentileIsABucketEndAndNewerSamplesWeighMore() {
        DecayingHistogram h = new DecayingHistogram(0.01, 1000, 1.05, 3600);
        assertThat(h.percentile(0.9)).isZero();
        h.add(0.5, 1, 0);
        int b = h.bucket(0.5);
        assertThat(h.bucketStart(b)).isLessThanOrEqualTo(0.5);
        assertThat(h.percentile(0.9)).isEqualTo(h.bucketStart(b + 1)).isGreaterThan(0.5);
        // 9 samples at 1.0 an hour ago weigh 4.5; one at 3.0 now weighs 1 → p90 threshold 0.9·5.5 = 4.95 > 4.5
        DecayingHistogram d = new DecayingHistogram(0.01, 1000, 1.05, 3600);
        for (int i = 0; i < 9; i++) {
            d.add(1.0, 1, 0);
        }
        d.add(3.0, 1, 3600);
        assertThat(d.percentile(0.9)).isGreaterThan(3.0);
        d.subtract(3.0, 1, 3600);
        assertThat(d.percentile(0.9)).isLessThan(1.1);
        // renormalisation after > 100 half-lives keeps the proportions
        d.add(1.0, 1, 3600L * 250);
        assertThat(d.percentile(0.5)).isLessThan(1.1);
        assertThat(d.isEmpty()).isFalse();
    }

    @Test
    void targetIsP90PlusMarginRoundedUpAndAppliedBeyondTenPercent() {
        VpaPolicy p = new VpaPolicy(Bounds.forProvisioned(4, 8192, true));
        Resources r = p.observe(Obs.of(0, 0, 0.5, 1000, 4, 8192));
        assertThat(r.cores()).isEqualTo(1);
        assertThat(r.memoryMb()).isBetween(1150, (int) Math.ceil(1150 * 1.05) + 1);
        // a target within 10 % of the allocation is not applied
        Resources same = p.observe(Obs.of(1, 300, 0.5, 1000, r.cores(), r.memoryMb() + 50));
        assertThat(same).isEqualTo(new Resources(r.cores(), r.memoryMb() + 50));
    }

    @Test
    void anOomAddsThePeakMaxOfPlus100MbAndTimes1Point2() {
        VpaPolicy p = new VpaPolicy(Bounds.forProvisioned(4, 8192, true));
        Resources r = p.observe(Obs.of(0, 0, 0.5, 1000, 4, 8192));
        Resources after = p.observe(Obs.oom(1, 300, 0.5, r.cores(), 1200));
        // used = max(1200, peak 1000) → needed = max(1300, 1440) = 1440 replaces the window's peak → ×1.15
        assertThat(after.memoryMb()).isGreaterThanOrEqualTo((int) (1440 * 1.15));
        assertThat(after.memoryMb()).isLessThanOrEqualTo((int) Math.ceil(1440 * 1.05 * 1.15) + 1);
    }
}
