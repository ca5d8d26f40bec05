package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;
import io.lxcautoscale.model.replay.sim.Resources;

import java.util.ArrayDeque;

/**
 * The {@code autopilot} baseline: Autopilot's moving-window recommenders (Rzadca et al., EuroSys 2020;
 * {@code docs/reference/baselines.md} §2). Usage is aggregated per 5-minute window (CPU: the
 * window's mean; memory: the window's peak) into decaying histograms; CPU recommendation = p95
 * (12 h half-life) + 10 %, memory = p98 of peaks (48 h half-life) + 10 %; the allocation is the
 * maximum recommendation of the last hour.
 *
 * <p>Choices where the paper publishes no detail:
 * <ul>
 *   <li>Buckets: the same exponential buckets as VPA (ratio 1.05; CPU from 0.01 core, memory from 1e7 B)
 *       instead of Autopilot's unpublished ~400 CPU buckets.</li>
 *   <li>Both percentiles are time-weighted, as {@code docs/reference/replay-scoring.md} §6 words it ("p95 of 5-minute usage"). The paper's
 *       load-adjusted CPU percentile ({@link DecayingHistogram#loadAdjustedPercentile}) is more generous:
 *       on Bitbrains 2013-7 it scores CPU slack 0.855 at shortage 0.002 instead of 0.840 at 0.032; the
 *       time-weighted one reproduces the calibration figures of replay-scoring.md §8 (0.840, 0.032).</li>
 *   <li>The margin is the low end of the paper's 10–15 % range, as replay-scoring.md §6 says.</li>
 *   <li>No OOM reaction: the moving-window recommender has none; an OOM only shows as a peak at the limit.</li>
 *   <li>Recommendations are rounded up to whole cores and whole MiB and applied every window.</li>
 * </ul>
 */
public final class AutopilotPolicy implements ReplayPolicy {
    static final double CPU_PERCENTILE = 0.95;
    static final double MEMORY_PERCENTILE = 0.98;
    static final long CPU_HALF_LIFE_SECONDS = 12 * 3600L;
    static final long MEMORY_HALF_LIFE_SECONDS = 48 * 3600L;
    static final double MARGIN = 0.10;
    static final long WINDOW_SECONDS = 300;
    static final long MAX_OVER_SECONDS = 3600;
    private static final double MIB = 1024.0 * 1024.0;

    /** Factory under the name {@code autopilot}. */
    public static final PolicyFactory FACTORY = new PolicyFactory() {
        @Override
        public String name() {
            return "autopilot";
        }

        @Override
        public ReplayPolicy create(Bounds bounds, long stepSeconds) {
            return new AutopilotPolicy(bounds, stepSeconds);
        }
    };

    private record Recommendation(long timeSeconds, double cores, double memoryMb) {
    }

    private final Bounds bounds;
    private final DecayingHistogram cpu = new DecayingHistogram(0.01, 1000, 1.05, CPU_HALF_LIFE_SECONDS);
    private final DecayingHistogram memory = new DecayingHistogram(1e7, 1e12, 1.05, MEMORY_HALF_LIFE_SECONDS);
    private final ArrayDeque<Recommendation> lastHour = new ArrayDeque<>();
    private final long stepSeconds;
    private long firstSeconds = Long.MIN_VALUE;
    private long windowStart;
    private double windowCpuSum;
    private int windowSamples;
    private double windowMemoryPeakMb;
    private Resources current;

    public AutopilotPolicy(Bounds bounds, long stepSeconds) {
        this.bounds = bounds;
        this.stepSeconds = stepSeconds;
    }

    @Override
    public Resources observe(Observation o) {
        long t = o.timestampSeconds();
        current = new Resources(o.cores(), o.memoryMb());
        if (firstSeconds == Long.MIN_VALUE) {
            firstSeconds = t;
        }
        long window = Math.floorDiv(t - firstSeconds, WINDOW_SECONDS);
        if (windowSamples > 0 && window != windowStart) {
            closeWindow(t); // a gap: the previous window ended without its last step
        }
        windowStart = window;
        windowCpuSum += o.usedCores();
        windowSamples++;
        if (bounds.hasMemory()) {
            windowMemoryPeakMb = Math.max(windowMemoryPeakMb, o.usedMemoryMb());
        }
        // The window closes with its last step: a step of 300 s or more is a window of its own.
        if (stepSeconds >= WINDOW_SECONDS || Math.floorDiv(t + stepSeconds - firstSeconds, WINDOW_SECONDS) != window) {
            closeWindow(t);
        }
        return lastHour.isEmpty() ? current : allocation();
    }

    private void closeWindow(long t) {
        long start = firstSeconds + windowStart * WINDOW_SECONDS;
        cpu.add(windowCpuSum / windowSamples, 1.0, start);
        if (bounds.hasMemory()) {
            memory.add(windowMemoryPeakMb * MIB, 1.0, start);
        }
        windowCpuSum = 0;
        windowSamples = 0;
        windowMemoryPeakMb = 0;
        double cores = cpu.percentile(CPU_PERCENTILE) * (1 + MARGIN);
        double memMb = bounds.hasMemory() ? memory.percentile(MEMORY_PERCENTILE) * (1 + MARGIN) / MIB : 0;
        lastHour.addLast(new Recommendation(t, cores, memMb));
        while (lastHour.peekFirst().timeSeconds() <= t - MAX_OVER_SECONDS) {
            lastHour.removeFirst();
        }
    }

    private Resources allocation() {
        double cores = 0;
        double memMb = 0;
        for (Recommendation r : lastHour) {
            cores = Math.max(cores, r.cores());
            memMb = Math.max(memMb, r.memoryMb());
        }
        return new Resources(bounds.clampCores((long) Math.ceil(cores - 1e-9)),
                bounds.clampMemoryMb((long) Math.ceil(memMb - 1e-9)));
    }
}
