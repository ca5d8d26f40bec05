package io.lxcautoscale.model.policy;

/**
 * Turns targets into allocations, with the original's up thresholds as guard rails and cooldowns and a
 * dead band against flapping.
 *
 * <ul>
 *   <li>Up: the target exceeds the allocation and the container is hot now (usage % of the allocation
 *       above the up threshold, or starved of CPU — throttled by {@code cpulimit}, or at its core count with
 *       CPU pressure — / under memory pressure), or the surge is urgent. An expected daily memory peak
 *       raises the target (so an increase, when it comes, covers the peak, and no decrease goes below it)
 *       but does not by itself start an increase: that was most of the memory changes, each undone by the
 *       next decrease; normal scale-ups wait {@code upCooldownSeconds} after the last change,
 *       urgent ones do not. The allocation goes straight to the target, rounded up to whole steps. Cores
 *       never go beyond {@code ceil(cpulimit)}: a container bound by its {@code cpulimit} gets no cores
 *       ("bound by cpulimit"), since more cores cannot lift {@code cpu.max}. A container with no
 *       {@code cores} line is left alone for CPU (it may use every host CPU; it is not cut to one).</li>
 *   <li>Down: the target, rounded up to whole steps, is below the allocation (for memory by more than
 *       {@link PolicySettings#DOWN_BAND_FRACTION}), nothing is throttled, anomalous,
 *       under pressure or OOM-killed, the latest use is known, the history covers the warm-up (CPU
 *       {@link #cpuWarmedUp}: an hour; memory {@link #warmedUp}: the risk preset's window or a day), and {@code downCooldownSeconds} have passed since the last change:
 *       the allocation goes straight to the target. The target covers the recent peak (see
 *       {@link DemandEstimate}), so the new allocation is not "hot" and does not bounce back up.</li>
 * </ul>
 */
public final class Hysteresis implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        PolicySettings s = in.settings();
        Proposal out = p;
        int cores = in.currentCores();
        int memoryMb = in.currentMemoryMb();

        if (in.current().coresUnset()) {
            out = out.because(String.format("no cores line (may use all %d host CPUs): CPU left alone", in.node().cpus()));
        } else if (!Double.isNaN(p.cpuTargetCores())) {
            int wanted = roundUp(p.cpuTargetCores(), s.cpu().stepCores());
            if (wanted > cores) {
                int useful = in.coresUsefulUpTo();
                boolean hot = in.recentCpuPercent() > s.cpu().upPercent() || in.cpuStarved();
                double wait = s.cooldowns().upSeconds() - in.state().secondsSinceCpuChange(in.now());
                if (useful <= cores) {
                    out = out.because(String.format("bound by cpulimit %s: no cores added (more cores cannot lift its cpu.max)",
                            trim(in.current().cpulimit())));
                } else if (!(hot || p.cpuUrgent())) {
                    out = out.because(String.format("CPU %.0f%% of %d cores is not above %.0f%%: no scale-up", in.recentCpuPercent(), cores, s.cpu().upPercent()));
                } else if (!p.cpuUrgent() && wait > 0) {
                    out = out.because(String.format("CPU scale-up waits for its cooldown (%.0f s left)", wait));
                } else {
                    cores = Math.min(wanted, useful);
                    out = out.because(String.format("CPU %.0f%% of the allocation%s: up to %d cores%s", in.recentCpuPercent(),
                            in.pressedAtCoreCount() ? String.format(", CPU pressure %.0f%%", in.view().cpuPressurePercent()) : "",
                            cores, cores < wanted ? " (cpulimit " + trim(in.current().cpulimit()) + ")" : ""));
                }
            } else if (wanted < cores) {
                boolean calm = !Double.isNaN(in.recentCpuPercent()) && !in.cpuStarved() && !in.view().anomaly().anomalous();
                double wait = s.cooldowns().downSeconds() - in.state().secondsSinceCpuChange(in.now());
                if (calm && !cpuWarmedUp(in)) {
                    out = out.because(String.format("CPU history covers %d of the %d steps of warm-up: no scale-down yet",
                            Series.tail(in.view().cpuCores(), s.cpu().windowSteps()).length, s.cpu().warmupSteps()));
                } else if (calm && wait <= 0) {
                    out = out.because(String.format("CPU demand %.2f cores fits in %d: down from %d cores", p.cpuTargetCores(), wanted, cores));
                    cores = wanted;
                } else if (calm) {
                    out = out.because(String.format("CPU scale-down waits for its cooldown (%.0f s left)", wait));
                }
            }
        }

        if (!Double.isNaN(p.memoryTargetMb())) {
            int wanted = roundUp(p.memoryTargetMb(), s.memory().stepMb());
            if (p.memoryTargetMb() > memoryMb) {
                boolean hot = in.recentMemoryPercent() > s.memory().upPercent() || in.memoryPressure();
                double wait = s.cooldowns().upSeconds() - in.state().secondsSinceMemoryChange(in.now());
                if (!(hot || p.memoryUrgent())) {
                    out = out.because(String.format("memory %.0f%% of %d MiB is not above %.0f%%: no scale-up%s",
                            in.recentMemoryPercent(), memoryMb, s.memory().upPercent(),
                            p.memoryPredicted() ? " (an expected daily peak raises the target, not the allocation)" : ""));
                } else if (!p.memoryUrgent() && wait > 0) {
                    out = out.because(String.format("memory scale-up waits for its cooldown (%.0f s left)", wait));
                } else {
                    memoryMb = Math.max(wanted, memoryMb + 1);
                    out = out.because(String.format("memory %.0f%% of the allocation: up to %d MiB", in.recentMemoryPercent(), memoryMb));
                }
            } else if (wanted < memoryMb * (1 - PolicySettings.DOWN_BAND_FRACTION)) {
                boolean calm = !Double.isNaN(in.recentMemoryPercent()) && !in.memoryPressure()
                        && !in.view().anomaly().anomalous() && in.view().oomKills() == 0
                        && warmedUp(in);
                double wait = s.cooldowns().downSeconds() - in.state().secondsSinceMemoryChange(in.now());
                if (calm && wait <= 0) {
                    out = out.because(String.format("memory demand %.0f MiB is more than %.0f%% below %d MiB: down to %d MiB",
                            p.memoryTargetMb(), PolicySettings.DOWN_BAND_FRACTION * 100, memoryMb, wanted));
                    memoryMb = wanted;
                } else if (calm) {
                    out = out.because(String.format("memory scale-down waits for its cooldown (%.0f s left)", wait));
                }
            }
        }
        return out.withAllocation(cores, memoryMb);
    }

    /**
     * Memory is not lowered until the container's history covers {@code memory_warmup_hours} (default a
     * day), or the memory risk preset's window when that is shorter: an estimate from a few minutes of
     * history does not know the container's daily peak, and a freshly installed daemon would otherwise
     * cut every container to what it happened to use in its first minutes.
     */
    static boolean warmedUp(PolicyInput in) {
        PolicySettings s = in.settings();
        int needed = Math.min(s.memory().windowSteps(), s.memory().warmupSteps());
        return needed <= 0 || Series.tail(in.view().memoryPeakMb(), s.memory().windowSteps()).length >= needed;
    }

    /**
     * Cores are not lowered until the container's CPU history covers {@code cpu_warmup_hours} (default an hour):
     * after a fresh start the estimate would rest on a few minutes of use.
     */
    static boolean cpuWarmedUp(PolicyInput in) {
        PolicySettings s = in.settings();
        return Series.tail(in.view().cpuCores(), s.cpu().windowSteps()).length >= Math.min(s.cpu().warmupSteps(), s.cpu().windowSteps());
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** {@code value} rounded up to a whole multiple of {@code step} (tolerating float noise), at least one step. */
    static int roundUp(double value, int step) {
        double steps = Math.ceil(value / step - 1e-9);
        return (int) Math.max(step, Math.min(Integer.MAX_VALUE / 2, steps * step));
    }
}
