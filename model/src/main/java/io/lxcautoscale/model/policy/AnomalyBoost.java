package io.lxcautoscale.model.policy;

/**
 * Makes an anomalous surge urgent, per resource: when the model flags the latest sample and the latest
 * demand, with its margin, no longer fits the allocation (or the container is starved of CPU / under
 * memory pressure), the target is raised by at least one step and the up-cooldown is skipped. An
 * {@code oom_kill} is urgent even without the model: memory goes to max(peak + 100 MiB, peak × 1.2), VPA's
 * OOM bump, and the memory change is a safety change.
 *
 * <p>A surge is a starved resource (CPU throttled by {@code cpulimit} or pressed at its core count, memory
 * under pressure), or a latest demand that with its margin has outgrown the allocation. A change can never
 * set off its own boost: the anomaly features see use as a share of the allocation, so a scale-down makes
 * the next samples look unusual — but a steady workload just scaled down to its estimate (which includes
 * the margin) still fits, and an outgrown demand is not trusted for one policy step after the resource
 * changed (only starvation is).
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
            double cpuDemand = DemandEstimate.recentCpuDemand(in) * (1 + s.cpu().marginFraction());
            double sinceCpu = in.state().secondsSinceCpuChange(in.now());
            boolean outgrown = cpuDemand > in.currentCores();
            boolean cpuSurge = in.cpuStarved() || (outgrown && sinceCpu >= in.view().stepSeconds());
            if (outgrown && !cpuSurge) {
                out = out.because(String.format("anomaly ignored for CPU: cores changed %.0f s ago", sinceCpu));
            } else if (cpuSurge && !in.current().coresUnset()) {
                cpuUrgent = true;
                cpuTarget = max(cpuTarget, in.currentCores() + s.cpu().stepCores(), cpuDemand);
                out = out.because(String.format("anomalous CPU surge (score %.3f > %.3f, CPU %.0f%%%s)",
                        a.score(), a.threshold(), in.recentCpuPercent(), in.cpuStarved() ? ", starved" : ""));
            }
            double memoryDemand = in.view().recentMemoryMb() * (1 + s.memory().marginFraction());
            double sinceMemory = in.state().secondsSinceMemoryChange(in.now());
            boolean memoryOutgrown = memoryDemand > in.currentMemoryMb();
            boolean memorySurge = in.memoryPressure() || (memoryOutgrown && sinceMemory >= in.view().stepSeconds());
            if (memoryOutgrown && !memorySurge) {
                out = out.because(String.format("anomaly ignored for memory: memory changed %.0f s ago", sinceMemory));
            } else if (memorySurge) {
                memoryUrgent = true;
                memoryTarget = max(memoryTarget, in.currentMemoryMb() + s.memory().stepMb(), memoryDemand);
                out = out.because(String.format("anomalous memory surge (score %.3f > %.3f, memory %.0f%%%s)",
                        a.score(), a.threshold(), in.recentMemoryPercent(), in.memoryPressure() ? ", under pressure" : ""));
            }
        }
        if (in.view().oomKills() > 0) {
            memoryUrgent = true;
            double used = Math.max(in.currentMemoryMb(), nanToZero(in.peakMemoryMb()));
            memoryTarget = max(memoryTarget, Math.max(used + OOM_MIN_BUMP_MB, used * OOM_BUMP_RATIO),
                    in.currentMemoryMb() + s.memory().stepMb());
            out = out.asMemorySafety().because(in.view().oomKills() + " oom_kill event(s): memory must grow");
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
