package io.lxcautoscale.model.policy;

/**
 * Every knob of the scaling policy for one container (global values, or a tier's overrides of them).
 *
 * @param minCores                 lowest cores the policy sets
 * @param maxCores                 highest cores the policy sets
 * @param minMemoryMb              lowest memory, MiB
 * @param maxMemoryMb              highest memory, MiB
 * @param cpuStepCores             cores per step (scale-down moves one step; scale-up whole steps)
 * @param memoryStepMb             MiB per step
 * @param cpuUpPercent             CPU % of the allocation above which scaling up is allowed
 * @param cpuDownPercent           CPU % of the allocation below which scaling down is allowed
 * @param memoryUpPercent          used memory % of the allocation above which scaling up is allowed
 * @param memoryDownPercent        used memory % below which scaling down is allowed
 * @param cpuPercentile            percentile (0–1) of per-step CPU demand taken as the demand estimate
 * @param demandWindowSteps        steps of history the estimate looks at
 * @param marginFraction           safety margin added to the estimate (0.15 = +15 %)
 * @param dailyLookaheadSteps      steps ahead looked at on previous days (0 = off)
 * @param upCooldownSeconds        minimum time between a change and a normal scale-up
 * @param downCooldownSeconds      minimum time between a change and a scale-down
 * @param throttledFraction        share of throttled CFS periods that counts as CPU starvation
 * @param memoryPressurePercent    PSI memory some avg10 that counts as memory pressure
 * @param memoryHeadroomFraction   memory never goes below peak × (1 + this)
 * @param memoryHeadroomMinMb      … nor below peak + this many MiB
 * @param minConfidence            0–100; a non-safety change with lower confidence is not made (0 = off)
 * @param reserveCores             cores kept free for the host
 * @param reserveMemoryMb          MiB kept free for the host
 * @param cpuOvercommit            Σ cores may reach (host CPUs − reserve) × this
 */
public record PolicySettings(
        int minCores, int maxCores, int minMemoryMb, int maxMemoryMb,
        int cpuStepCores, int memoryStepMb,
        double cpuUpPercent, double cpuDownPercent, double memoryUpPercent, double memoryDownPercent,
        double cpuPercentile, int demandWindowSteps, double marginFraction, int dailyLookaheadSteps,
        long upCooldownSeconds, long downCooldownSeconds,
        double throttledFraction, double memoryPressurePercent,
        double memoryHeadroomFraction, int memoryHeadroomMinMb,
        double minConfidence,
        int reserveCores, long reserveMemoryMb, double cpuOvercommit) {

    public PolicySettings {
        if (minCores < 1 || minCores > maxCores || minMemoryMb < 1 || minMemoryMb > maxMemoryMb) {
            throw new IllegalArgumentException("limits must satisfy 1 <= min <= max");
        }
        if (cpuStepCores < 1 || memoryStepMb < 1) {
            throw new IllegalArgumentException("steps must be > 0");
        }
        if (!(cpuDownPercent < cpuUpPercent) || !(memoryDownPercent < memoryUpPercent)) {
            throw new IllegalArgumentException("down thresholds must be below up thresholds");
        }
        if (demandWindowSteps < 1) {
            throw new IllegalArgumentException("demandWindowSteps must be >= 1");
        }
    }

    /** The defaults of {@code etc/lxc_autoscale_ml.yaml} at 300-second steps (tests and replay). */
    public static PolicySettings defaults() {
        return new PolicySettings(1, 4, 512, 8192, 1, 512, 75, 30, 75, 30,
                0.95, 288, 0.15, 12, 300, 3600, 0.10, 10, 0.20, 64, 0, 1, 2048, 1.0);
    }

    public PolicySettings withLimits(int newMinCores, int newMaxCores, int newMinMemoryMb, int newMaxMemoryMb) {
        return new PolicySettings(newMinCores, newMaxCores, newMinMemoryMb, newMaxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, cpuDownPercent, memoryUpPercent, memoryDownPercent, cpuPercentile, demandWindowSteps,
                marginFraction, dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds, throttledFraction,
                memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence, reserveCores,
                reserveMemoryMb, cpuOvercommit);
    }

    public PolicySettings withCooldowns(long upSeconds, long downSeconds) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, cpuDownPercent, memoryUpPercent, memoryDownPercent, cpuPercentile, demandWindowSteps,
                marginFraction, dailyLookaheadSteps, upSeconds, downSeconds, throttledFraction,
                memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence, reserveCores,
                reserveMemoryMb, cpuOvercommit);
    }

    public PolicySettings withMinConfidence(double value) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, cpuDownPercent, memoryUpPercent, memoryDownPercent, cpuPercentile, demandWindowSteps,
                marginFraction, dailyLookaheadSteps, upCooldownSeconds, downCooldownSeconds, throttledFraction,
                memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, value, reserveCores,
                reserveMemoryMb, cpuOvercommit);
    }

    public PolicySettings withDailyLookaheadSteps(int steps) {
        return new PolicySettings(minCores, maxCores, minMemoryMb, maxMemoryMb, cpuStepCores, memoryStepMb,
                cpuUpPercent, cpuDownPercent, memoryUpPercent, memoryDownPercent, cpuPercentile, demandWindowSteps,
                marginFraction, steps, upCooldownSeconds, downCooldownSeconds, throttledFraction,
                memoryPressurePercent, memoryHeadroomFraction, memoryHeadroomMinMb, minConfidence, reserveCores,
                reserveMemoryMb, cpuOvercommit);
    }
}
