package io.lxcautoscale.model.policy;

/**
 * The anomaly model's verdict on a container's latest sample.
 *
 * @param score       isolation score in [0, 1] (higher = easier to isolate = more unusual); NaN = not scored
 * @param threshold   the score above which a sample is an anomaly (the (1 − contamination) quantile of
 *                    the training scores); NaN = no model
 * @param rankPercent share of training rows that scored lower, 0–100 (one-sided: only unusual is high)
 */
public record Anomaly(double score, double threshold, double rankPercent) {
    /** No model or no score (too little history). */
    public static final Anomaly NONE = new Anomaly(Double.NaN, Double.NaN, Double.NaN);

    /** True only when a score exists and exceeds the threshold; an unscored sample is never anomalous. */
    public boolean anomalous() {
        return !Double.isNaN(score) && !Double.isNaN(threshold) && score > threshold;
    }
}
