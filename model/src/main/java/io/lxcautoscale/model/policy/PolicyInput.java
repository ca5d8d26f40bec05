package io.lxcautoscale.model.policy;

import java.time.Instant;

/** Everything one decision may look at; steps read it and never change it. */
public record PolicyInput(ContainerView view, Allocation current, NodeCapacity node, PolicyState state, Instant now,
                          PolicySettings settings) {
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

    public boolean throttled() {
        return view.throttledFraction() >= settings.throttledFraction();
    }

    public boolean memoryPressure() {
        return view.memoryPressurePercent() >= settings.memoryPressurePercent();
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
