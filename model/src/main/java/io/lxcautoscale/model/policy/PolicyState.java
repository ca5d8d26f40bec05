package io.lxcautoscale.model.policy;

import java.time.Instant;

/**
 * What the policy remembers about one container between decisions: when each resource last changed.
 * Advanced only for changes that were really applied (a failed call starts no cooldown).
 *
 * @param lastCpuChangeAt    when cores last changed, or null
 * @param lastMemoryChangeAt when memory last changed, or null
 */
public record PolicyState(Instant lastCpuChangeAt, Instant lastMemoryChangeAt) {
    /** A container never changed by us. */
    public static final PolicyState INITIAL = new PolicyState(null, null);

    /** The state after {@code decision} took effect at {@code now}. */
    public PolicyState applied(Decision decision, Instant now) {
        return new PolicyState(
                decision.cpuAction() == Action.NONE ? lastCpuChangeAt : now,
                decision.memoryAction() == Action.NONE ? lastMemoryChangeAt : now);
    }

    /** Seconds since the last change of cores, or +∞ when never changed. */
    public double secondsSinceCpuChange(Instant now) {
        return since(lastCpuChangeAt, now);
    }

    public double secondsSinceMemoryChange(Instant now) {
        return since(lastMemoryChangeAt, now);
    }

    private static double since(Instant t, Instant now) {
        return t == null ? Double.POSITIVE_INFINITY : (now.toEpochMilli() - t.toEpochMilli()) / 1000.0;
    }
}
