package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;
import io.lxcautoscale.model.replay.sim.Resources;

/**
 * The {@code vpa} baseline: the Kubernetes VPA recommender with its defaults
 * ({@code docs/reference/baselines.md} §1). CPU: every usage sample into a decaying histogram
 * (24 h half-life, first bucket 0.01 core, ratio 1.05, weight 0.1), target p90. Memory: one peak per 24 h
 * interval (a larger sample in the same interval replaces it) into a decaying histogram (24 h half-life,
 * first bucket 1e7 B, ratio 1.05), target p90; an OOM adds the artificial peak
 * {@code max(used + 100 MiB, used × 1.2)} with {@code used = max(allocation, peak)}. Both targets × 1.15
 * and at least the pod minimum (25 millicores, 250 MiB).
 *
 * <p>Choices where VPA's setting does not map onto a container with whole cores:
 * <ul>
 *   <li>The CPU target is rounded up to whole cores, memory up to whole MiB.</li>
 *   <li>Updater: the allocation becomes the target when VPA's summed relative difference
 *       {@code Σ |target − allocation| / allocation} over CPU and memory exceeds 0.10 (its
 *       {@code pod-update-threshold}); both resources are then set, as a pod re-creation does. The 12 h
 *       minimum pod lifetime and the confidence-scaled bounds are left out: replay-scoring.md §6 applies the target
 *       whenever it differs by more than 10 %.</li>
 *   <li>Each 24 h memory interval starts at the first sample and is followed by back-to-back intervals;
 *       the peak is added at the interval's start time, as VPA does.</li>
 * </ul>
 */
public final class VpaPolicy implements ReplayPolicy {
    static final double MARGIN = 0.15;
    static final double CPU_PERCENTILE = 0.9;
    static final double MEMORY_PERCENTILE = 0.9;
    static final long HALF_LIFE_SECONDS = 24 * 3600L;
    static final long MEMORY_INTERVAL_SECONDS = 24 * 3600L;
    static final double OOM_BUMP_RATIO = 1.2;
    static final double OOM_MIN_BUMP_MB = 100;
    static final double UPDATE_THRESHOLD = 0.10;
    static final double POD_MIN_CPU_CORES = 0.025;
    static final double POD_MIN_MEMORY_MB = 250;
    static final double CPU_SAMPLE_WEIGHT = 0.1;
    static final double BUCKET_RATIO = 1.05;
    static final double CPU_FIRST_BUCKET_CORES = 0.01;
    static final double CPU_MAX_CORES = 1000;
    static final double MEMORY_FIRST_BUCKET_BYTES = 1e7;
    static final double MEMORY_MAX_BYTES = 1e12;
    private static final double MIB = 1024.0 * 1024.0;

    /** Factory under the name {@code vpa}. */
    public static final PolicyFactory FACTORY = new PolicyFactory() {
        @Override
        public String name() {
            return "vpa";
        }

        @Override
        public ReplayPolicy create(Bounds bounds, long stepSeconds) {
            return new VpaPolicy(bounds);
        }
    };

    private final Bounds bounds;
    private final DecayingHistogram cpu = new DecayingHistogram(CPU_FIRST_BUCKET_CORES, CPU_MAX_CORES, BUCKET_RATIO,
            HALF_LIFE_SECONDS);
    private final DecayingHistogram memory = new DecayingHistogram(MEMORY_FIRST_BUCKET_BYTES, MEMORY_MAX_BYTES,
            BUCKET_RATIO, HALF_LIFE_SECONDS);
    private long windowStart = Long.MIN_VALUE;
    private double windowPeakBytes;
    private double usagePeakBytes;

    public VpaPolicy(Bounds bounds) {
        this.bounds = bounds;
    }

    @Override
    public Resources observe(Observation o) {
        long t = o.timestampSeconds();
        cpu.add(o.usedCores(), CPU_SAMPLE_WEIGHT, t);
        if (bounds.hasMemory()) {
            if (windowStart == Long.MIN_VALUE) {
                windowStart = t;
            }
            while (t >= windowStart + MEMORY_INTERVAL_SECONDS) {
                windowStart += MEMORY_INTERVAL_SECONDS;
                windowPeakBytes = 0;
                usagePeakBytes = 0;
            }
            usagePeakBytes = Math.max(usagePeakBytes, o.usedMemoryMb() * MIB);
            addPeak(o.usedMemoryMb() * MIB);
            if (o.oomKilled()) {
                // VPA leaves earlier OOM bumps out of "used" so that repeated OOMs do not compound.
                double used = Math.max(o.memoryMb() * MIB, usagePeakBytes);
                addPeak(Math.max(used + OOM_MIN_BUMP_MB * MIB, used * OOM_BUMP_RATIO));
            }
        }
        Resources target = target();
        double diff = Math.abs(target.cores() - o.cores()) / (double) o.cores();
        if (bounds.hasMemory()) {
            diff += Math.abs(target.memoryMb() - o.memoryMb()) / (double) o.memoryMb();
        }
        return diff > UPDATE_THRESHOLD ? target : new Resources(o.cores(), o.memoryMb());
    }

    /** The recommendation now, rounded and clamped to the bounds. */
    Resources target() {
        double cpuTarget = Math.max(cpu.percentile(CPU_PERCENTILE) * (1 + MARGIN), POD_MIN_CPU_CORES);
        int cores = bounds.clampCores((long) Math.ceil(cpuTarget - 1e-9));
        int memMb = 0;
        if (bounds.hasMemory()) {
            double memTargetMb = Math.max(memory.percentile(MEMORY_PERCENTILE) * (1 + MARGIN) / MIB, POD_MIN_MEMORY_MB);
            memMb = bounds.clampMemoryMb((long) Math.ceil(memTargetMb - 1e-9));
        }
        return new Resources(cores, memMb);
    }

    private void addPeak(double bytes) {
        if (bytes <= windowPeakBytes) {
            return;
        }
        if (windowPeakBytes > 0) {
            memory.subtract(windowPeakBytes, 1.0, windowStart);
        }
        memory.add(bytes, 1.0, windowStart);
        windowPeakBytes = bytes;
    }
}
