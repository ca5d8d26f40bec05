package io.lxcautoscale.model.replay.sim;

/**
 * What a policy sees at step t — only what the monitor could see on a real host ({@code docs/reference/replay-scoring.md} §3,
 * point 3). Demand itself is never shown: above the allocation, only the throttled fraction and the OOM
 * flag tell that there was more.
 *
 * @param step              t, from 0
 * @param timestampSeconds  the step's epoch seconds
 * @param usedCores         {@code uₜ = min(dₜ, coresₜ)}
 * @param usedMemoryMb      {@code vₜ = min(mₜ, memMbₜ)}; NaN when the trace has no memory
 * @param cores             allocation at t
 * @param memoryMb          allocation at t (0 without memory)
 * @param throttled         {@code dₜ > coresₜ}
 * @param throttledFraction {@code max(0, dₜ − coresₜ) / dₜ}, the cgroup {@code throttled_usec} analogue
 * @param oomKilled         {@code mₜ > memMbₜ}, the {@code memory.events oom_kill} analogue
 */
public record Observation(int step, long timestampSeconds, double usedCores, double usedMemoryMb, int cores,
                          int memoryMb, boolean throttled, double throttledFraction, boolean oomKilled) {
}
