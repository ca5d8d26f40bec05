package io.lxcautoscale.model.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Estimates what the container needs.
 *
 * <ul>
 *   <li>CPU: the larger of a high percentile of per-step CPU over the demand window and the peak of the
 *       last {@code cpuPeakSteps} steps, and at least what the latest step demanded (see
 *       {@link #recentCpuDemand}): a starved container's use hides its demand — throttled by {@code cpulimit},
 *       or waiting (CPU pressure) at the core count of its cpuset.</li>
 *   <li>Memory: the peak of used memory over the memory risk preset's window (Autopilot's choice for
 *       memory, where a shortfall kills), and at least the memory used now.</li>
 *   <li>Memory is raised to the peak seen on previous days just after this time of day when that is
 *       higher and the preset includes the daily look-ahead, so a daily peak is met before it arrives.
 *       (CPU is not: the replay showed the look-ahead costing CPU slack for almost no less shortage,
 *       because a CPU shortfall only slows a container down for one step while the estimate catches up,
 *       where a memory shortfall kills it.)</li>
 * </ul>
 */
public final class DemandEstimate implements PolicyStep {
    /** A throttled or pressure share above this is taken as this, so one odd sample cannot ask for 100× the use. */
    static final double MAX_STALLED_SHARE = 0.9;

    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        ContainerView v = in.view();
        double cpu = Series.percentile(Series.tail(v.cpuCores(), s.cpu().windowSteps()), s.cpu().percentile());
        cpu = maxKnown(cpu, Series.max(v.cpuCores(), s.cpu().peakSteps()));
        cpu = maxKnown(cpu, recentCpuDemand(in));
        double memory = maxKnown(Series.max(v.memoryPeakMb(), s.memory().windowSteps()), v.recentMemoryMb());
        if (Double.isNaN(cpu) && Double.isNaN(memory)) {
            return p.because("no usage data yet");
        }
        boolean memoryPredicted = false;
        if (s.memory().lookahead()) {
            double memoryAhead = Series.max(lookahead(v, s.memory().dailyLookaheadSteps()), Integer.MAX_VALUE);
            if (!Double.isNaN(memoryAhead) && (Double.isNaN(memory) || memoryAhead > memory)) {
                memory = memoryAhead;
                memoryPredicted = true;
            }
        }
        Proposal out = p.withTargets(cpu, memory).withFlags(p.cpuUrgent(), p.memoryUrgent(), memoryPredicted);
        String when = memoryPredicted
                ? " (raised to the demand of the coming " + (s.memory().dailyLookaheadSteps() * v.stepSeconds() / 60)
                        + " min on previous days at " + Instant.ofEpochSecond(v.lastStepEndEpochSecond()).atZone(ZoneOffset.UTC).toLocalTime() + " UTC)"
                : "";
        String cpuText = Double.isNaN(cpu) ? "CPU not known yet" : String.format("CPU %.2f cores (p%.0f, %d-step peak, latest)",
                cpu, s.cpu().percentile() * 100, s.cpu().peakSteps());
        String memoryText = Double.isNaN(memory) ? "memory not known yet" : String.format("memory peak %.0f MiB", memory);
        return out.because("demand: " + cpuText + ", " + memoryText + when);
    }

    /**
     * The latest CPU demand in cores, from what the host shows (NaN when the use is unknown):
     * <ul>
     *   <li>throttled by {@code cpulimit} ({@code cpu.max}): use ÷ (1 − throttled share);</li>
     *   <li>at the core count of its cpuset with CPU pressure: use ÷ (1 − pressure share) — PSI "some" is the
     *       share of time a runnable task of the container waited for a CPU, the cpuset's counterpart of the
     *       throttled share (a cpuset container is never throttled);</li>
     *   <li>else the use.</li>
     * </ul>
     * Either share is taken as at most {@link #MAX_STALLED_SHARE}, so one odd sample cannot ask for 10× the use.
     */
    static double recentCpuDemand(PolicyInput in) {
        ContainerView v = in.view();
        double used = v.recentCpuCores();
        if (Double.isNaN(used)) {
            return Double.NaN;
        }
        double demand = used;
        double throttled = v.throttledFraction();
        if (!Double.isNaN(throttled) && throttled > 0) {
            demand = Math.max(demand, used / (1 - Math.min(MAX_STALLED_SHARE, throttled)));
        }
        if (in.pressedAtCoreCount()) {
            demand = Math.max(demand, used / (1 - Math.min(MAX_STALLED_SHARE, v.cpuPressurePercent() / 100)));
        }
        return demand;
    }

    private static double maxKnown(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** Per-step memory peaks that, on each previous day, follow the current time of day within the look-ahead. */
    static double[] lookahead(ContainerView v, int aheadSteps) {
        int stepsPerDay = (int) (86_400L / v.stepSeconds());
        int last = v.steps() - 1;
        int days = Math.max(0, last / Math.max(1, stepsPerDay));
        double[] memory = new double[days * aheadSteps];
        int n = 0;
        for (int dayBack = stepsPerDay; dayBack <= last; dayBack += stepsPerDay) {
            // the element one day back is "now" yesterday; the following ones are what came next
            for (int k = 1; k <= aheadSteps; k++) {
                int i = last - dayBack + k;
                if (i >= 0 && i < last && !Double.isNaN(v.memoryPeakMb()[i])) {
                    memory[n++] = v.memoryPeakMb()[i];
                }
            }
        }
        return Arrays.copyOf(memory, n);
    }
}
