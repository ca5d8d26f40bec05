package io.lxcautoscale.model.replay.sim;

import java.util.List;

/**
 * One policy's scores over a trace set: the totals (sums of numerators and denominators) and the
 * per-trace scores from which the means of per-trace values are taken.
 */
public record PolicyResult(String name, TraceScore totals, List<TraceScore> perTrace) {
    public PolicyResult {
        perTrace = List.copyOf(perTrace);
    }

    /** Mean over traces of a per-trace value. */
    public double mean(java.util.function.ToDoubleFunction<TraceScore> score) {
        return perTrace.stream().mapToDouble(score).average().orElse(Double.NaN);
    }
}
