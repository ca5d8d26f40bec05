package io.lxcautoscale.model.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Estimates what the container needs: a high percentile of per-step CPU demand and the peak of used
 * memory over the demand window (Autopilot's choice for memory, where a shortfall kills), raised to the
 * demand seen on previous days just after this time of day when that is higher, so a daily peak is met
 * before it arrives.
 */
public final class DemandEstimate implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        ContainerView v = in.view();
        double[] cpuKnown = Series.tail(v.cpuCores(), s.demandWindowSteps());
        double cpu = Series.percentile(cpuKnown, s.cpuPercentile());
        double memory = Series.max(v.memoryPeakMb(), s.demandWindowSteps());
        if (!Double.isNaN(v.recentMemoryMb())) {
            memory = Double.isNaN(memory) ? v.recentMemoryMb() : Math.max(memory, v.recentMemoryMb());
        }
        if (Double.isNaN(cpu) && Double.isNaN(memory)) {
            return p.because("no usage data yet");
        }
        Proposal out = p.withTargets(cpu, memory);
        boolean cpuPredicted = false;
        boolean memoryPredicted = false;
        if (s.dailyLookaheadSteps() > 0) {
            double[][] ahead = lookahead(v, s.dailyLookaheadSteps());
            double cpuAhead = Series.percentile(ahead[0], s.cpuPercentile());
            double memoryAhead = Series.percentile(ahead[1], 1.0);
            if (!Double.isNaN(cpuAhead) && (Double.isNaN(cpu) || cpuAhead > cpu)) {
                cpu = cpuAhead;
                cpuPredicted = true;
            }
            if (!Double.isNaN(memoryAhead) && (Double.isNaN(memory) || memoryAhead > memory)) {
                memory = memoryAhead;
                memoryPredicted = true;
            }
            out = out.withTargets(cpu, memory).withFlags(p.cpuUrgent(), p.memoryUrgent(), cpuPredicted, memoryPredicted);
        }
        String when = cpuPredicted || memoryPredicted
                ? " (raised to the demand of the coming " + (s.dailyLookaheadSteps() * v.stepSeconds() / 60)
                        + " min on previous days at " + Instant.ofEpochSecond(v.lastStepEndEpochSecond()).atZone(ZoneOffset.UTC).toLocalTime() + " UTC)"
                : "";
        return out.because(String.format("demand: CPU p%.0f %.2f cores, memory peak %.0f MiB%s",
                s.cpuPercentile() * 100, cpu, memory, when));
    }

    /** The steps that, on each previous day, follow the current time of day within the look-ahead. */
    static double[][] lookahead(ContainerView v, int aheadSteps) {
        int stepsPerDay = (int) (86_400L / v.stepSeconds());
        List<Double> cpu = new ArrayList<>();
        List<Double> memory = new ArrayList<>();
        int last = v.steps() - 1;
        for (int dayBack = stepsPerDay; dayBack <= last; dayBack += stepsPerDay) {
            // the element one day back is "now" yesterday; the following ones are what came next
            for (int k = 1; k <= aheadSteps; k++) {
                int i = last - dayBack + k;
                if (i >= 0 && i < last) {
                    if (!Double.isNaN(v.cpuCores()[i])) {
                        cpu.add(v.cpuCores()[i]);
                    }
                    if (!Double.isNaN(v.memoryPeakMb()[i])) {
                        memory.add(v.memoryPeakMb()[i]);
                    }
                }
            }
        }
        return new double[][] {cpu.stream().mapToDouble(Double::doubleValue).toArray(),
                memory.stream().mapToDouble(Double::doubleValue).toArray()};
    }
}
