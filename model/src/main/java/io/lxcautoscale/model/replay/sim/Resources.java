package io.lxcautoscale.model.replay.sim;

/** An allocation in the replay: whole cores and whole MiB (memoryMb 0 when the trace has no memory). */
public record Resources(int cores, int memoryMb) {
}
