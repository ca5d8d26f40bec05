package io.lxcautoscale.model.policy;

/**
 * Every knob of the scaling policy for one container (global values, or a tier's overrides of them), grouped as
 * the configuration groups them: CPU and memory ({@code scaling.*}), cooldowns and the host ({@code node.*}).
 * Built by {@code ModelConfig} from the configuration file only; its defaults are those of the shipped
 * {@code etc/lxc_autoscale_ml.yaml}.
 *
 * @param cpu           the CPU estimate, actuation and starvation signals
 * @param memory        the memory estimate, actuation, floor and pressure signal
 * @param cooldowns     minimum times between changes
 * @param node          what the host keeps for itself and how far cores may be overcommitted
 * @param minConfidence 0–100; a change to a resource without a safety reason and with lower confidence is not made (0 = off)
 */
public record PolicySettings(Cpu cpu, Memory memory, Cooldowns cooldowns, Node node, double minConfidence) {

    /**
     * Memory is lowered only when the target is this much below the allocation: a decrease must be worth a
     * change (VPA's band is 10 %; 20 % was fitted on half A of the Bitbrains replay set, docs/benchmarks.md
     * "Memory churn").
     */
    public static final double DOWN_BAND_FRACTION = 0.20;

    public PolicySettings {
        if (cpu == null || memory == null || cooldowns == null || node == null) {
            throw new IllegalArgumentException("cpu, memory, cooldowns and node must be set");
        }
    }

    /**
     * CPU knobs ({@code scaling.*cpu*}).
     *
     * @param minCores          lowest cores the policy sets
     * @param maxCores          highest cores the policy sets
     * @param stepCores         cores per step (allocations are whole steps)
     * @param upPercent         CPU % of the allocation above which scaling up is allowed
     * @param percentile        percentile (0–1) of per-step CPU demand taken as the demand estimate
     * @param windowSteps       steps of history the percentile looks at (also the history the confidence counts)
     * @param peakSteps         … and the estimate is at least the peak of the last this many steps
     * @param marginFraction    safety margin added to the estimate (0.15 = +15 %)
     * @param warmupSteps       cores are not lowered before this many steps of CPU history (0 = off)
     * @param throttledFraction share of throttled CFS periods that counts as CPU starvation
     * @param pressurePercent   PSI cpu some avg10 that, with use at the core count, counts as CPU starvation (cpuset)
     * @param downHoldSteps     cores come down only once the use, with the margin, fitted in fewer for this many steps
     *                          ({@link CpuDownHold}; 0 = off)
     */
    public record Cpu(int minCores, int maxCores, int stepCores, double upPercent,
                      double percentile, int windowSteps, int peakSteps, double marginFraction, int warmupSteps,
                      double throttledFraction, double pressurePercent, int downHoldSteps) {
        public Cpu {
            if (minCores < 1 || minCores > maxCores) {
                throw new IllegalArgumentException("cores limits must satisfy 1 <= min <= max");
            }
            if (stepCores < 1) {
                throw new IllegalArgumentException("the CPU step must be > 0");
            }
            if (windowSteps < 1 || peakSteps < 1) {
                throw new IllegalArgumentException("CPU windows must be >= 1 step");
            }
            if (warmupSteps < 0 || downHoldSteps < 0) {
                throw new IllegalArgumentException("CPU warm-up and down-hold steps must be >= 0");
            }
        }

        Cpu withLimits(int newMinCores, int newMaxCores) {
            return new Cpu(newMinCores, newMaxCores, stepCores, upPercent, percentile, windowSteps, peakSteps,
                    marginFraction, warmupSteps, throttledFraction, pressurePercent, downHoldSteps);
        }
    }

    /**
     * Memory knobs ({@code scaling.*ram*}, {@code scaling.memory_*}).
     *
     * @param minMb               lowest memory, MiB
     * @param maxMb               highest memory, MiB
     * @param stepMb              granularity, MiB: allocations the policy sets are multiples of it
     * @param upPercent           used memory % of the allocation above which scaling up is allowed
     * @param risk                the risk preset (window, daily look-ahead and margin of the estimate)
     * @param windowSteps         the preset's window in steps
     * @param warmupSteps         memory is not lowered before this many steps of history (capped at the window; 0 = off)
     * @param dailyLookaheadSteps steps ahead looked at on previous days (0 = off)
     * @param headroomFraction    memory never goes below the last hour's peak × (1 + this)
     * @param headroomMinMb       … nor below that peak + this many MiB
     * @param pressurePercent     PSI memory some avg10 that counts as memory pressure
     */
    public record Memory(int minMb, int maxMb, int stepMb, double upPercent,
                         MemoryRisk risk, int windowSteps, int warmupSteps, int dailyLookaheadSteps,
                         double headroomFraction, int headroomMinMb, double pressurePercent) {
        public Memory {
            if (minMb < 1 || minMb > maxMb) {
                throw new IllegalArgumentException("memory limits must satisfy 1 <= min <= max");
            }
            if (stepMb < 1) {
                throw new IllegalArgumentException("the memory step must be > 0");
            }
            if (risk == null) {
                throw new IllegalArgumentException("the memory risk must be set");
            }
            if (windowSteps < 1) {
                throw new IllegalArgumentException("the memory window must be >= 1 step");
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("memory warm-up steps must be >= 0");
            }
        }

        /** The estimate's margin (the preset's). */
        public double marginFraction() {
            return risk.marginFraction();
        }

        /** Whether the estimate uses the daily look-ahead (the preset's, and only when the look-ahead is on). */
        public boolean lookahead() {
            return risk.dailyLookahead() && dailyLookaheadSteps > 0;
        }

        Memory withLimits(int newMinMb, int newMaxMb) {
            return new Memory(newMinMb, newMaxMb, stepMb, upPercent, risk, windowSteps, warmupSteps, dailyLookaheadSteps,
                    headroomFraction, headroomMinMb, pressurePercent);
        }

        Memory withStep(int newStepMb) {
            return new Memory(minMb, maxMb, newStepMb, upPercent, risk, windowSteps, warmupSteps, dailyLookaheadSteps,
                    headroomFraction, headroomMinMb, pressurePercent);
        }

        Memory withRisk(MemoryRisk newRisk, int stepSeconds) {
            return new Memory(minMb, maxMb, stepMb, upPercent, newRisk, newRisk.windowSteps(stepSeconds), warmupSteps,
                    dailyLookaheadSteps, headroomFraction, headroomMinMb, pressurePercent);
        }

        Memory withDailyLookaheadSteps(int steps) {
            return new Memory(minMb, maxMb, stepMb, upPercent, risk, windowSteps, warmupSteps, steps,
                    headroomFraction, headroomMinMb, pressurePercent);
        }
    }

    /**
     * @param upSeconds   minimum time between a change and a normal scale-up
     * @param downSeconds minimum time between a change and a scale-down
     */
    public record Cooldowns(long upSeconds, long downSeconds) {
    }

    /**
     * {@code node.*}.
     *
     * @param reserveCores    cores kept free for the host
     * @param reserveMemoryMb MiB kept free for the host
     * @param cpuOvercommit   Σ cores may reach (host CPUs − reserve) × this
     */
    public record Node(int reserveCores, long reserveMemoryMb, double cpuOvercommit) {
    }

    /** The same settings with other core and memory limits (a tier's, or a trace's bounds). */
    public PolicySettings withLimits(int newMinCores, int newMaxCores, int newMinMemoryMb, int newMaxMemoryMb) {
        return new PolicySettings(cpu.withLimits(newMinCores, newMaxCores), memory.withLimits(newMinMemoryMb, newMaxMemoryMb),
                cooldowns, node, minConfidence);
    }

    public PolicySettings withMinConfidence(double value) {
        return new PolicySettings(cpu, memory, cooldowns, node, value);
    }

    public PolicySettings withDailyLookaheadSteps(int steps) {
        return new PolicySettings(cpu, memory.withDailyLookaheadSteps(steps), cooldowns, node, minConfidence);
    }

    /** The same settings with another memory risk preset, its window converted at {@code stepSeconds}. */
    public PolicySettings withMemoryRisk(MemoryRisk risk, int stepSeconds) {
        return new PolicySettings(cpu, memory.withRisk(risk, stepSeconds), cooldowns, node, minConfidence);
    }

    /** The same settings with another memory granularity (MiB) and max memory (the daemon's legacy flags). */
    public PolicySettings withMemoryStep(int stepMb, int newMaxMemoryMb) {
        return new PolicySettings(cpu, memory.withLimits(memory.minMb(), newMaxMemoryMb).withStep(stepMb), cooldowns, node,
                minConfidence);
    }
}
