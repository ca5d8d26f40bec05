package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.model.policy.MemoryRisk;
import io.lxcautoscale.model.policy.PolicySettings;

/** Copies of {@link PolicySettings} with one knob changed, for the ablation and the knob sweep. */
public final class Knobs {
    private Knobs() {
    }

    /** {@code scaling.memory_risk}, its window converted at the daemon's policy step. */
    public static PolicySettings withMemoryRisk(PolicySettings s, MemoryRisk risk, int stepSeconds) {
        return s.withMemoryRisk(risk, stepSeconds);
    }
}
