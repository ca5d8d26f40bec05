package io.lxcautoscale.model.policy;

/**
 * The journal's {@code confidence} (0–100): how much evidence stands behind a decision, overall and per
 * resource (the confidence gate holds each resource on its own evidence).
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

    /** The decision's confidence: either resource's safety or urgency counts. */
    public static double of(Proposal p, PolicyInput in) {
        return of(p.safety(), p.cpuUrgent() || p.memoryUrgent(), in);
    }

    /** The confidence behind the cores change alone. */
    public static double ofCpu(Proposal p, PolicyInput in) {
        return of(p.cpuSafety(), p.cpuUrgent(), in);
    }

    /** The confidence behind the memory change alone. */
    public static double ofMemory(Proposal p, PolicyInput in) {
        return of(p.memorySafety(), p.memoryUrgent(), in);
    }

    private static double of(boolean safety, boolean urgent, PolicyInput in) {
        if (safety) {
            return 100.0;
        }
        if (urgent && !Double.isNaN(in.view().anomaly().rankPercent())) {
            return in.view().anomaly().rankPercent();
        }
        int known = Series.tail(in.view().cpuCores(), in.settings().cpu().windowSteps()).length;
        return 100.0 * Math.min(1.0, known / (double) in.settings().cpu().windowSteps());
    }
}
