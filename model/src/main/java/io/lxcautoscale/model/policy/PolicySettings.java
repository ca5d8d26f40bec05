package io.lxcautoscale.model.policy;

/**
 * Every knob of the scaling policy for one container (global values, or a tier's overrides of them).
 *
 * @param minCores                 lowest cores the policy sets
 * @param maxCores                 highest cores the policy sets
 * @param minMemoryMb              lowest memory, MiB
 * @param maxMemoryMb              highest memory, MiB
 * @param cpuStepCores             cores per step (allocations are whole steps)
 * @param memoryStepMb             memory granularity, MiB: allocations the policy sets are multiples of it
 * @param cpuUpPercent             CPU % of the allocation above which scaling up is allowed
 * @param memoryUpPercent          used memory % of the allocation above which scaling up is allowed
 * @param cpuPercentile            percentile (0–1) of per-step CPU demand taken as the demand estimate
 * @param demandWindowSteps        steps of history the CPU percentile looks at
 * @param cpuPeakSteps             … and the CPU estimate is at least the peak of the last this many steps
 * @param cpuMarginFraction        safety margin added to the CPU estimate (0.15 = +15 %)
 * @param memoryRisk               the memory risk preset (window, daily look-ahead and margin of the memory estimate)
 * @param memoryWindowSteps        the preset's window in steps
 * @param memoryWarmupSteps        memory is not lowered before this many steps of history (capped at the window; 0 = off)
 * @param dailyLookaheadSteps      steps ahead looked at on previous days (0 = off)
 * @param upCooldownSeconds        minimum time between a change and a normal scale-up
 * @param downCooldownSeconds      minimum time between a change and a scale-down
 * @param throttledFraction        share of throttled CFS periods that counts as CPU starvation
 * @param memoryPressurePercent    PSI memory some avg10 that counts as memory pressure
 * @param memoryHeadroomFraction   memory never goes below the last hour's peak × (1 + this)
 * @param memoryHeadroomMinMb      … nor below that peak + this many MiB
 * @param minConfidence            0–100; a non-safety change with lower confidence is not made (0 = off)
 * @param reserveCores             cores kept free for the host
 * @param reserveMemoryMb          MiB kept free for the host
 * @param cpuOvercommit            Σ cores may reach (host CPUs − reserve) × this
 * @param cpuPressurePercent       PSI cpu some avg10 that, with use at the core count, counts as CPU starvation (cpuset)
 * @param cpuWarmupSteps           cores are not lowered before this many steps of CPU history (0 = off)
 */
public record PolicySettings(
        int minCores, int maxCores, int minMemoryMb, int maxMemoryMb,
        int cpuStepCores, int memoryStepMb,
        double cpuUpPercent, double memoryUpPercent,
        double cpuPercentile, int demandWindowSteps, int cpuPeakSteps, double cpuMarginFraction,
        MemoryRisk memoryRisk, int memoryWindowSteps, int memoryWarmupSteps, int dailyLookaheadSteps,
        long upCooldownSeconds, long downCooldownSeconds,
        double throttledFraction, double memoryPressurePercent,
        double memoryHeadroomFraction, int memoryHeadroomMinMb,
        double minConfidence,
        int reserveCores, long reserveMemoryMb, double cpuOvercommit,
        double cpuPressurePercent, int cpuWarmupSteps) {

    /** The defaults of the two CPU knobs added later ({@code cpu_pressure_percent} 10, {@code cpu_warmup_hours} 1 at 300 s). */
    static final double DEFAULT_CPU_PRESSURE_PERCENT = 10;
    static final int DEFAULT_CPU_WARMUP_STEPS = 12;

    /** Settings with the CPU pressure and warm-up knobs at their defaults (tests and replay written before them). */
    public PolicySettings(
            int minCores, int maxCores, int minMemoryMb, int maxMemoryMb,
            int cpuStepCores, int memoryStepMb,
            double cpuUpPercent, double memoryUpPercent,
            double cpuPercentile, int demandWindowSteps, int cpuPeakSteps, double cpuMarginFraction,
            MemoryRisk memoryRisk, int memoryWindowSteps, int memoryWarmupSteps, int dailyLookaheadSteps,
            long upCooldownSeconds, long downCooldownSeconds,
            double throttledFraction, double memoryPressurePercent,
            double memoryHeadroomFraction, int memoryHeadroomMinMb,
            double minConfidence,
            int reserveCores, long reserveMemoryMb, double cpuOvercommit) {
        this(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb, cpuUpPercent, memoryUpPercent,
                cpuPercentile, demandWindowSteps, cpuPeakSteps, cpuMarginFraction, memoryRisk, memoryWindowSteps, memoryWarmupSteps,
                dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds, throttledFraction, memoryPressurePercent,
                memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence, reserveCores, reserveMemoryMb, cpuOvercommit,
                DEFAULT_CPU_PRESSURE_PERCENT, DEFAULT_CPU_WARMUP_STEPS);
    }

    /** A decrease is made only when the target is this much below the allocation (VPA's 10 % band). */
    public static final double DOWN_BAND_FRACTION = 0.10;

    public PolicySettings {
        if (minCores < 1 || minCores > maxCores || minMemoryMb < 1 || minMemoryMb > maxMemoryMb) {
            throw new IllegalArgumentException("limits must satisfy 1 <= min <= max");
        }
        if (cpuStepCores < 1 || memoryStepMb < 1) {
            throw new IllegalArgumentException("steps must be > 0");
        }
        if (demandWindowSteps < 1 || cpuPeakSteps < 1 || memoryWindowSteps < 1) {
            throw new IllegalArgumentException("windows must be >= 1 step");
        }
        if (memoryWarmupSteps < 0 || cpuWarmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0");
        }
        if (memoryRisk == null) {
            throw new IllegalArgumentException("memoryRisk must be set");
        }
    }

    /** The defaults of {@code etc/lxc_autoscale_ml.yaml} at 300-second steps (tests and replay). */
    public static PolicySettings defaults() {
        return new PolicySettings(1, 4, 512, 8192, 1, 64, 75, 75,
                0.95, 288, 12, 0.10, MemoryRisk.LOW, MemoryRisk.LOW.windowSteps(300), 288, 12, 300, 3600,
                0.10, 10, 0.20, 64, 0, 1, 2048, 4.0);
    }

    /** The memory estimate's margin (the preset's). */
    public double memoryMarginFraction() {
        return memoryRisk.marginFraction();
    }

    /** Whether the memory estimate uses the daily look-ahead (the preset's, and only when the look-ahead is on). */
    public boolean memoryLookahead() {
        return memoryRisk.dailyLookahead() && dailyLookaheadSteps > 0;
    }

    public PolicySettings withLimits(int newMinCores, int newMaxCores, int newMinMemoryMb, int newMaxMemoryMb) {
        return new PolicySettings(newMinCores, newMaxCores, newMinMemoryMb, newMaxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, memoryUpPercent, cpuPercentile, demandWindowSteps, cpuPeakSteps, cpuMarginFraction,
                memoryRisk, memoryWindowSteps, memoryWarmupSteps, dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds,
                throttledFraction, memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence,
                reserveCores, reserveMemoryMb, cpuOvercommit, cpuPressurePercent, cpuWarmupSteps);
    }

    public PolicySettings withMinConfidence(double value) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, memoryUpPercent, cpuPercentile, demandWindowSteps, cpuPeakSteps, cpuMarginFraction,
                memoryRisk, memoryWindowSteps, memoryWarmupSteps, dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds,
                throttledFraction, memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, value,
                reserveCores, reserveMemoryMb, cpuOvercommit, cpuPressurePercent, cpuWarmupSteps);
    }

    public PolicySettings withDailyLookaheadSteps(int steps) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, memoryUpPercent, cpuPercentile, demandWindowSteps, cpuPeakSteps, cpuMarginFraction,
                memoryRisk, memoryWindowSteps, memoryWarmupSteps, steps, upCooldownSeconds, downCooldownSeconds,
                throttledFraction, memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence,
                reserveCores, reserveMemoryMb, cpuOvercommit, cpuPressurePercent, cpuWarmupSteps);
    }

    /** The same settings with another memory risk preset, its window converted at {@code stepSeconds}. */
    public PolicySettings withMemoryRisk(MemoryRisk risk, int stepSeconds) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, memoryUpPercent, cpuPercentile, demandWindowSteps, cpuPeakSteps, cpuMarginFraction,
                risk, risk.windowSteps(stepSeconds), memoryWarmupSteps, dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds,
                throttledFraction, memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence,
                reserveCores, reserveMemoryMb, cpuOvercommit, cpuPressurePercent, cpuWarmupSteps);
    }

    /** The same settings with another memory granularity (MiB) and max memory (the daemon's legacy flags). */
    public PolicySettings withMemoryStep(int stepMb, int newMaxMemoryMb) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, newMaxMemoryMb, cpuStepCores, stepMb,
                cpuUpPercent, memoryUpPercent, cpuPercentile, demandWindowSteps, cpuPeakSteps, cpuMarginFraction,
                memoryRisk, memoryWindowSteps, memoryWarmupSteps, dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds,
                throttledFraction, memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence,
                reserveCores, reserveMemoryMb, cpuOvercommit, cpuPressurePercent, cpuWarmupSteps);
    }
}
