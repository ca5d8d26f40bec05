package io.lxcautoscale.model.policy;

import java.time.Instant;

/**
 * Everything one decision may look at; steps read it and never change it.
 *
 * @param bank the container's learned-recommender bank, or null without {@code scaling.recommender}
 */
public record PolicyInput(ContainerView view, Allocation current, NodeCapacity node, PolicyState state, Instant now,
                          PolicySettings settings, CandidateBank bank) {
    /** An input without the learned recommender. */
    public PolicyInput(ContainerView view, Allocation current, NodeCapacity node, PolicyState state, Instant now,
                       PolicySettings settings) {
        this(view, current, node, state, now, settings, null);
    }

    /** Use at or above this share of the cores counts as "at the core count" (a cpuset flattens just under it). */
    static final double AT_CORE_COUNT = 0.9;

    public int currentCores() {
        return current.effectiveCores(node);
    }

    public int currentMemoryMb() {
        return current.memoryMb();
    }

    /** The latest CPU use as % of the current allocation (NaN unknown). */
    public double recentCpuPercent() {
        return view.recentCpuCores() / currentCores() * 100.0;
    }

    /** The latest used memory as % of the current allocation (NaN unknown). */
    public double recentMemoryPercent() {
        return view.recentMemoryMb() / currentMemoryMb() * 100.0;
    }

    /** CFS throttling at or above {@code throttled_percent}: only {@code cpulimit} ({@code cpu.max}) produces it. */
    public boolean throttled() {
        return view.throttledFraction() >= settings.cpu().throttledFraction();
    }

    /**
     * Use at the core count with CPU pressure at or above {@code cpu_pressure_percent}: how a container bound by its
     * {@code cores} (a cpuset, never throttled) shows that it wants more — its runnable tasks wait.
     */
    public boolean pressedAtCoreCount() {
        return view.recentCpuCores() >= AT_CORE_COUNT * currentCores()
                && view.cpuPressurePercent() >= settings.cpu().pressurePercent();
    }

    /** CPU starvation as the host shows it: throttled by {@code cpulimit}, or pressed at the core count of a cpuset. */
    public boolean cpuStarved() {
        return throttled() || pressedAtCoreCount();
    }

    /**
     * The most cores that can still add CPU: {@code ceil(cpulimit)} when the container has a {@code cpulimit}
     * (cores beyond it cannot lift the {@code cpu.max} quota), else unbounded.
     */
    public int coresUsefulUpTo() {
        double limit = current.cpulimit();
        return limit > 0 ? (int) Math.ceil(limit - 1e-9) : Integer.MAX_VALUE;
    }

    public boolean memoryPressure() {
        return view.memoryPressurePercent() >= settings.memory().pressurePercent();
    }

    /** Peak used memory over the last hour and now, MiB (NaN when nothing is known): what the memory floor protects. */
    public double peakMemoryMb() {
        double peak = Series.max(view.memoryPeakMb(), recentHourSteps());
        double now = view.recentMemoryMb();
        if (Double.isNaN(peak)) {
            return now;
        }
        return Double.isNaN(now) ? peak : Math.max(peak, now);
    }

    /** Steps in the last hour (at least one). */
    public int recentHourSteps() {
        return Math.max(1, 3600 / view.stepSeconds());
    }
}
