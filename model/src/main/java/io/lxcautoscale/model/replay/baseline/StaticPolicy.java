package io.lxcautoscale.model.replay.baseline;

import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;
import io.lxcautoscale.model.replay.sim.Resources;

/** The {@code static} baseline: keeps the provisioned size for ever (zero shortage and OOM by construction). */
public final class StaticPolicy implements ReplayPolicy {
    /** Factory under the name {@code static}. */
    public static final PolicyFactory FACTORY = new PolicyFactory() {
        @Override
        public String name() {
            return "static";
        }

        @Override
        public ReplayPolicy create(Bounds bounds, long stepSeconds) {
            return new StaticPolicy(bounds);
        }
    };

    private final Resources provisioned;

    public StaticPolicy(Bounds bounds) {
        this.provisioned = bounds.provisioned();
    }

    @Override
    public Resources observe(Observation observation) {
        return provisioned;
    }
}
