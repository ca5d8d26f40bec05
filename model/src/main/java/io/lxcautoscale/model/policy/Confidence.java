package io.lxcautoscale.model.policy;

/**
 * The journal's {@code confidence} (0–100): how much evidence stands behind a decision.
 * <ul>
 *   <li>100 when a safety rule shaped it (limits, memory floor, OOM) — those are never optional;</li>
 *   <li>for an anomaly-driven (urgent) change, the anomaly score's rank among the training scores — the
 *       share of normal history that looked less unusual (one-sided, unlike the original's |score|);</li>
 *   <li>otherwise the share of the demand window covered by measured steps: a young container's
 *       estimate rests on little history.</li>
 * </ul>
 */
public final class Confidence {
    private Confidence() {
    }

    public static double of(Proposal p, PolicyInput in) {
        if (p.safety()) {
            return 100.0;
        }
        if ((p.cpuUrgent() || p.memoryUrgent()) && !Double.isNaN(in.view().anomaly().rankPercent())) {
            return in.view().anomaly().rankPercent();
        }
        int known = Series.tail(in.view().cpuCores(), in.settings().demandWindowSteps()).length;
        return 100.0 * Math.min(1.0, known / (double) in.settings().demandWindowSteps());
    }
}
