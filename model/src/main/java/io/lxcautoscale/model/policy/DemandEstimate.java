package io.lxcautoscale.model.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Estimates what the container needs.
 *
 * <ul>
 *   <li>CPU: the larger of a high percentile of per-step CPU over the demand window and the peak of the
 *       last {@code cpuPeakSteps} steps, and at least what the latest step demanded — its use divided by
 *       the share of time it was not throttled ({@code used / (1 − throttled)}), because a throttled
 *       container's use hides its demand.</li>
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
    /** A throttled share above this is taken as this, so one odd sample cannot ask for 100× the use. */
    static final double MAX_THROTTLED_SHARE = 0.9;

    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        ContainerView v = in.view();
        double cpu = Series.percentile(Series.tail(v.cpuCores(), s.demandWindowSteps()), s.cpuPercentile());
        cpu = maxKnown(cpu, Series.max(v.cpuCores(), s.cpuPeakSteps()));
        cpu = maxKnown(cpu, recentCpuDemand(v));
        double memory = maxKnown(Series.max(v.memoryPeakMb(), s.memoryWindowSteps()), v.recentMemoryMb());
        if (Double.isNaN(cpu) && Double.isNaN(memory)) {
            return p.because("no usage data yet");
        }
        boolean memoryPredicted = false;
        if (s.memoryLookahead()) {
            double memoryAhead = Series.max(lookahead(v, s.dailyLookaheadSteps()), Integer.MAX_VALUE);
            if (!Double.isNaN(memoryAhead) && (Double.isNaN(memory) || memoryAhead > memory)) {
                memory = memoryAhead;
                memoryPredicted = true;
            }
        }
        Proposal out = p.withTargets(cpu, memory).withFlags(p.cpuUrgent(), p.memoryUrgent(), memoryPredicted);
        String when = memoryPredicted
                ? " (raised to the demand of the coming " + (s.dailyLookaheadSteps() * v.stepSeconds() / 60)
                        + " min on previous days at " + Instant.ofEpochSecond(v.lastStepEndEpochSecond()).atZone(ZoneOffset.UTC).toLocalTime() + " UTC)"
                : "";
        return out.because(String.format("demand: CPU %.2f cores (p%.0f, %d-step peak, latest), memory peak %.0f MiB%s",
                cpu, s.cpuPercentile() * 100, s.cpuPeakSteps(), memory, when));
    }

    /** The latest CPU demand in cores: use ÷ (1 − throttled share); NaN when the use is unknown. */
    static double recentCpuDemand(ContainerView v) {
        double used = v.recentCpuCores();
        if (Double.isNaN(used)) {
            return Double.NaN;
        }
        double throttled = v.throttledFraction();
        if (Double.isNaN(throttled) || throttled <= 0) {
            return used;
        }
        return used / (1 - Math.min(MAX_THROTTLED_SHARE, throttled));
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
