package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Observation;

/** Observations for the baseline tests. */
final class Obs {
    private Obs() {
    }

    static Observation of(int step, long t, double usedCores, double usedMb, int cores, int memMb) {
        return new Observation(step, t, usedCores, usedMb, cores, memMb, false, 0, false);
    }

    static Observation oom(int step, long t, double usedCores, int cores, int memMb) {
        return new Observation(step, t, usedCores, memMb, cores, memMb, false, 0, true);
    }
}
