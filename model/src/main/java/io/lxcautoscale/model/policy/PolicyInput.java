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

    /** Peak used memory over the demand window and now, MiB (NaN when nothing is known). */
    public double peakMemoryMb() {
        double peak = Series.max(view.memoryPeakMb(), settings.demandWindowSteps());
        double now = view.recentMemoryMb();
        if (Double.isNaN(peak)) {
            return now;
        }
        return Double.isNaN(now) ? peak : Math.max(peak, now);
    }
}
