package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.model.policy.PolicySettings;

/** Copies of {@link PolicySettings} with one knob changed, for the ablation and the knob sweep. */
public final class Knobs {
    private Knobs() {
    }

    /** {@code scaling.margin_percent} / 100. */
    public static PolicySettings withMargin(PolicySettings s, double marginFraction) {
        return new PolicySettings(s.minCores(), s.maxCores(), s.minMemoryMb(), s.maxMemoryMb(), s.cpuStepCores(),
                s.memoryStepMb(), s.cpuUpPercent(), s.cpuDownPercent(), s.memoryUpPercent(), s.memoryDownPercent(),
                s.cpuPercentile(), s.demandWindowSteps(), marginFraction, s.dailyLookaheadSteps(),
                s.upCooldownSeconds(), s.downCooldownSeconds(), s.throttledFraction(), s.memoryPressurePercent(),
                s.memoryHeadroomFraction(), s.memoryHeadroomMinMb(), s.minConfidence(), s.reserveCores(),
                s.reserveMemoryMb(), s.cpuOvercommit());
    }
}
