package io.lxcautoscale.model.policy;

import java.util.Objects;

/**
 * What the policy knows about one container's recent usage: per-step demand series plus the latest
 * signals, filled by the daemon from the metrics file and by the replay harness from a trace.
 *
 * <p>The two series have one element per step of {@code stepSeconds} (300 s in the daemon and in replay),
 * oldest first, the last one ending at {@code lastStepEndEpochSecond}; an element is {@code NaN} when
 * nothing was measured in that step. Values are absolute (cores, MiB), never percentages, so they stay
 * true when the allocation changes.
 *
 * @param vmid                   the container's VMID
 * @param stepSeconds            length of one step of the series, &gt; 0
 * @param lastStepEndEpochSecond end of the last element, epoch seconds (drives time-of-day look-ahead)
 * @param cpuCores               mean CPU used per step, in cores
 * @param memoryPeakMb           peak used memory per step, MiB
 * @param recentCpuCores         CPU used over the latest step (or sample), cores; NaN unknown
 * @param recentMemoryMb         used memory now, MiB; NaN unknown
 * @param throttledFraction      share of CFS periods throttled in the latest step, 0..1; NaN unknown
 * @param memoryPressurePercent  PSI {@code memory some avg10} now, %; NaN unknown
 * @param oomKills               {@code oom_kill} events not yet answered by an applied memory increase
 * @param cpuPressurePercent     PSI {@code cpu some avg10} now, % (cgroup v2): the share of time at least one of its
 *                               tasks waited for a CPU; NaN unknown
 * @param anomaly                the anomaly model's verdict for the latest sample
 */
public record ContainerView(
        String vmid,
        int stepSeconds,
        long lastStepEndEpochSecond,
        double[] cpuCores,
        double[] memoryPeakMb,
        double recentCpuCores,
        double recentMemoryMb,
        double throttledFraction,
        double memoryPressurePercent,
        int oomKills,
        Anomaly anomaly,
        double cpuPressurePercent) {

    /** A view without CPU pressure (replay traces and files that do not record it). */
    public ContainerView(String vmid, int stepSeconds, long lastStepEndEpochSecond, double[] cpuCores, double[] memoryPeakMb,
                         double recentCpuCores, double recentMemoryMb, double throttledFraction, double memoryPressurePercent,
                         int oomKills, Anomaly anomaly) {
        this(vmid, stepSeconds, lastStepEndEpochSecond, cpuCores, memoryPeakMb, recentCpuCores, recentMemoryMb, throttledFraction,
                memoryPressurePercent, oomKills, anomaly, Double.NaN);
    }

    public ContainerView {
        Objects.requireNonNull(vmid, "vmid");
        if (stepSeconds <= 0) {
            throw new IllegalArgumentException("stepSeconds must be > 0, got " + stepSeconds);
        }
        cpuCores = cpuCores == null ? new double[0] : cpuCores;
        memoryPeakMb = memoryPeakMb == null ? new double[0] : memoryPeakMb;
        if (cpuCores.length != memoryPeakMb.length) {
            throw new IllegalArgumentException("cpuCores and memoryPeakMb must have the same length for " + vmid);
        }
        if (oomKills < 0) {
            throw new IllegalArgumentException("oomKills must be >= 0 for " + vmid);
        }
        anomaly = anomaly == null ? Anomaly.NONE : anomaly;
    }

    /** Number of steps in the series. */
    public int steps() {
        return cpuCores.length;
    }
}
