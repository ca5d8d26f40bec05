package io.lxcautoscale.model.policy;

/**
 * Makes an anomalous surge urgent: when the model flags the latest sample and the container is hot
 * (CPU above the up threshold, throttled, memory above the up threshold or under pressure), the target
 * is raised by at least one step and the up-cooldown is skipped. An {@code oom_kill} is urgent even
 * without the model: memory goes to max(peak + 100 MiB, peak × 1.2), VPA's OOM bump.
 */
public final class AnomalyBoost implements PolicyStep {
    static final double OOM_BUMP_RATIO = 1.2;
    static final double OOM_MIN_BUMP_MB = 100;

    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        Anomaly a = in.view().anomaly();
        double cpuTarget = p.cpuTargetCores();
        double memoryTarget = p.memoryTargetMb();
        boolean cpuUrgent = false;
        boolean memoryUrgent = false;
        Proposal out = p;
        if (a.anomalous()) {
            boolean cpuHot = in.recentCpuPercent() > s.cpuUpPercent() || in.throttled();
            if (cpuHot) {
                cpuUrgent = true;
                cpuTarget = max(cpuTarget, in.currentCores() + s.cpuStepCores(),
                        DemandEstimate.recentCpuDemand(in.view()) * (1 + s.cpuMarginFraction()));
                out = out.because(String.format("anomalous CPU surge (score %.3f > %.3f, CPU %.0f%%%s)",
                        a.score(), a.threshold(), in.recentCpuPercent(), in.throttled() ? ", throttled" : ""));
            }
            boolean memoryHot = in.recentMemoryPercent() > s.memoryUpPercent() || in.memoryPressure();
            if (memoryHot) {
                memoryUrgent = true;
                memoryTarget = max(memoryTarget, in.currentMemoryMb() + s.memoryStepMb(),
                        in.view().recentMemoryMb() * (1 + s.memoryMarginFraction()));
                out = out.because(String.format("anomalous memory surge (score %.3f > %.3f, memory %.0f%%%s)",
                        a.score(), a.threshold(), in.recentMemoryPercent(), in.memoryPressure() ? ", under pressure" : ""));
            }
        }
        if (in.view().oomKills() > 0) {
            memoryUrgent = true;
            double used = Math.max(in.currentMemoryMb(), nanToZero(in.peakMemoryMb()));
            memoryTarget = max(memoryTarget, Math.max(used + OOM_MIN_BUMP_MB, used * OOM_BUMP_RATIO),
                    in.currentMemoryMb() + s.memoryStepMb());
            out = out.asSafety().because(in.view().oomKills() + " oom_kill event(s): memory must grow");
        }
        return out.withTargets(cpuTarget, memoryTarget)
                .withFlags(cpuUrgent, memoryUrgent, p.memoryPredicted());
    }

    private static double max(double a, double b, double c) {
        double m = Math.max(b, nanToZero(c));
        return Double.isNaN(a) ? m : Math.max(a, m);
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
