package io.lxcautoscale.model.policy;

/**
 * Turns targets into whole-step changes, using the original's thresholds as guard rails and cooldowns
 * against flapping.
 *
 * <ul>
 *   <li>Up: the target exceeds the allocation and the container is hot now (usage % of the allocation
 *       above the up threshold, or throttled), or a daily peak is expected, or the surge is urgent;
 *       normal scale-ups wait {@code upCooldownSeconds} after the last change, urgent ones do not. The
 *       allocation rises by as many whole steps as the target needs.</li>
 *   <li>Down: the target is below the allocation, both the recent and the window's demand are below the
 *       down threshold (% of the allocation), nothing is throttled, anomalous or OOM-killed, and
 *       {@code downCooldownSeconds} have passed: one step at a time, never below the target.</li>
 *   <li>Between the thresholds nothing changes.</li>
 * </ul>
 */
public final class Hysteresis implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        Proposal out = p;
        int cores = in.currentCores();
        int memoryMb = in.currentMemoryMb();

        if (!Double.isNaN(p.cpuTargetCores())) {
            double demandPercent = windowCpu(in) / cores * 100;
            if (p.cpuTargetCores() > cores) {
                boolean hot = in.recentCpuPercent() > s.cpuUpPercent() || in.throttled();
                double wait = s.upCooldownSeconds() - in.state().secondsSinceCpuChange(in.now());
                if (!(hot || p.cpuPredicted() || p.cpuUrgent())) {
                    out = out.because(String.format("CPU %.0f%% of %d cores is not above %.0f%%: no scale-up", in.recentCpuPercent(), cores, s.cpuUpPercent()));
                } else if (!p.cpuUrgent() && wait > 0) {
                    out = out.because(String.format("CPU scale-up waits for its cooldown (%.0f s left)", wait));
                } else {
                    cores = cores + stepsUp(p.cpuTargetCores() - cores, s.cpuStepCores()) * s.cpuStepCores();
                    out = out.because(String.format("CPU %.0f%% of the allocation: up to %d cores", in.recentCpuPercent(), cores));
                }
            } else if (p.cpuTargetCores() < cores) {
                boolean cold = in.recentCpuPercent() < s.cpuDownPercent() && demandPercent < s.cpuDownPercent();
                boolean calm = !in.throttled() && !in.view().anomaly().anomalous();
                double wait = s.downCooldownSeconds() - in.state().secondsSinceCpuChange(in.now());
                if (cold && calm && wait <= 0) {
                    int down = Math.max((int) Math.ceil(p.cpuTargetCores()), cores - s.cpuStepCores());
                    if (down < cores) {
                        cores = down;
                        out = out.because(String.format("CPU %.0f%% (window %.0f%%) below %.0f%%: down to %d cores",
                                in.recentCpuPercent(), demandPercent, s.cpuDownPercent(), cores));
                    }
                } else if (cold && calm) {
                    out = out.because(String.format("CPU scale-down waits for its cooldown (%.0f s left)", wait));
                }
            }
        }

        if (!Double.isNaN(p.memoryTargetMb())) {
            double windowPercent = in.peakMemoryMb() / memoryMb * 100;
            if (p.memoryTargetMb() > memoryMb) {
                boolean hot = in.recentMemoryPercent() > s.memoryUpPercent() || in.memoryPressure();
                double wait = s.upCooldownSeconds() - in.state().secondsSinceMemoryChange(in.now());
                if (!(hot || p.memoryPredicted() || p.memoryUrgent())) {
                    out = out.because(String.format("memory %.0f%% of %d MiB is not above %.0f%%: no scale-up",
                            in.recentMemoryPercent(), memoryMb, s.memoryUpPercent()));
                } else if (!p.memoryUrgent() && wait > 0) {
                    out = out.because(String.format("memory scale-up waits for its cooldown (%.0f s left)", wait));
                } else {
                    memoryMb = memoryMb + stepsUp(p.memoryTargetMb() - memoryMb, s.memoryStepMb()) * s.memoryStepMb();
                    out = out.because(String.format("memory %.0f%% of the allocation: up to %d MiB", in.recentMemoryPercent(), memoryMb));
                }
            } else if (p.memoryTargetMb() < memoryMb) {
                boolean cold = in.recentMemoryPercent() < s.memoryDownPercent() && windowPercent < s.memoryDownPercent();
                boolean calm = !in.memoryPressure() && !in.view().anomaly().anomalous() && in.view().oomKills() == 0;
                double wait = s.downCooldownSeconds() - in.state().secondsSinceMemoryChange(in.now());
                if (cold && calm && wait <= 0) {
                    int down = Math.max((int) Math.ceil(p.memoryTargetMb()), memoryMb - s.memoryStepMb());
                    if (down < memoryMb) {
                        memoryMb = down;
                        out = out.because(String.format("memory %.0f%% (window peak %.0f%%) below %.0f%%: down to %d MiB",
                                in.recentMemoryPercent(), windowPercent, s.memoryDownPercent(), memoryMb));
                    }
                } else if (cold && calm) {
                    out = out.because(String.format("memory scale-down waits for its cooldown (%.0f s left)", wait));
                }
            }
        }
        return out.withAllocation(cores, memoryMb);
    }

    /** Whole steps needed to cover {@code missing}, at least one. */
    static int stepsUp(double missing, int step) {
        return Math.max(1, (int) Math.ceil(missing / step - 1e-9));
    }

    /** The window's CPU demand estimate without the margin, cores (the percentile the target came from). */
    private static double windowCpu(PolicyInput in) {
        double v = Series.percentile(Series.tail(in.view().cpuCores(), in.settings().demandWindowSteps()), in.settings().cpuPercentile());
        return Double.isNaN(v) ? in.view().recentCpuCores() : v;
    }
}
