package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;
import io.lxcautoscale.model.replay.sim.Resources;

/**
 * The {@code original} baseline: the Python original's shipped rule ({@code docs/reference/original-system.md}
 * §4, step 8; constants in {@code docs/reference/baselines.md} §3). CPU % of the allocation above 75 → +1 core, below 30 → −1 core; memory % of the allocation
 * above 75 → +512 MB, below 30 → −512 MB; one decision every 600 s; shipped min/max 2–4 cores and
 * 1024–8192 MB intersected with the replay's bounds.
 *
 * <p>Choices where the original is silent or the intersection is empty:
 * <ul>
 *   <li>The first decision is made on the first observation (the original runs a cycle at start), then
 *       whenever 600 s have passed since the last one.</li>
 *   <li>The targets are the original's own {@code min(cur + step, max)} and {@code max(cur − step, min)},
 *       including its flaw that an allocation above max is "scaled up" down to max (flaw 3 in original-system.md §5); that
 *       is how it behaves.</li>
 *   <li>An empty intersection (e.g. a 1-core container against min 2) collapses to the bound nearest the
 *       original's range: min = max = the replay's bound.</li>
 *   <li>The anomaly confidence gate is left out: in the original it only filters on a symmetric percentile
 *       that cannot tell normal from anomalous (flaw 2), and its default {@code min_confidence} passes.</li>
 * </ul>
 */
public final class OriginalPolicy implements ReplayPolicy {
    static final double UPPER_PERCENT = 75;
    static final double LOWER_PERCENT = 30;
    static final int CORE_STEP = 1;
    static final int MEMORY_STEP_MB = 512;
    static final long INTERVAL_SECONDS = 600;
    static final int MIN_CORES = 2;
    static final int MAX_CORES = 4;
    static final int MIN_MEMORY_MB = 1024;
    static final int MAX_MEMORY_MB = 8192;

    /** Factory under the name {@code original}. */
    public static final PolicyFactory FACTORY = new PolicyFactory() {
        @Override
        public String name() {
            return "original";
        }

        @Override
        public ReplayPolicy create(Bounds bounds, long stepSeconds) {
            return new OriginalPolicy(bounds);
        }
    };

    private final Bounds bounds;
    private final int minCores;
    private final int maxCores;
    private final int minMemoryMb;
    private final int maxMemoryMb;
    private long lastDecisionSeconds = Long.MIN_VALUE;
    private Resources current;

    public OriginalPolicy(Bounds bounds) {
        this.bounds = bounds;
        this.maxCores = Math.min(MAX_CORES, bounds.maxCores());
        this.minCores = Math.min(Math.max(MIN_CORES, bounds.minCores()), maxCores);
        this.maxMemoryMb = Math.min(MAX_MEMORY_MB, bounds.maxMemoryMb());
        this.minMemoryMb = Math.min(Math.max(MIN_MEMORY_MB, bounds.minMemoryMb()), maxMemoryMb);
    }

    /** The effective core range after intersecting with the bounds. */
    int minCores() {
        return minCores;
    }

    int maxCores() {
        return maxCores;
    }

    int minMemoryMb() {
        return minMemoryMb;
    }

    int maxMemoryMb() {
        return maxMemoryMb;
    }

    @Override
    public Resources observe(Observation o) {
        current = new Resources(o.cores(), o.memoryMb());
        if (lastDecisionSeconds != Long.MIN_VALUE && o.timestampSeconds() - lastDecisionSeconds < INTERVAL_SECONDS) {
            return current;
        }
        lastDecisionSeconds = o.timestampSeconds();
        int cores = o.cores();
        double cpuPercent = o.usedCores() / o.cores() * 100.0;
        if (cpuPercent > UPPER_PERCENT) {
            cores = Math.min(o.cores() + CORE_STEP, maxCores);
        } else if (cpuPercent < LOWER_PERCENT) {
            cores = Math.max(o.cores() - CORE_STEP, minCores);
        }
        int memoryMb = o.memoryMb();
        if (bounds.hasMemory()) {
            double memPercent = o.usedMemoryMb() / o.memoryMb() * 100.0;
            if (memPercent > UPPER_PERCENT) {
                memoryMb = Math.min(o.memoryMb() + MEMORY_STEP_MB, maxMemoryMb);
            } else if (memPercent < LOWER_PERCENT) {
                memoryMb = Math.max(o.memoryMb() - MEMORY_STEP_MB, minMemoryMb);
            }
        }
        return new Resources(cores, memoryMb);
    }
}
