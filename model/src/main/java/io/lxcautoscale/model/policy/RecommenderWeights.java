package io.lxcautoscale.model.policy;

/**
 * The prices of the learned memory recommender's cost ({@link CandidateBank}): per completed step, an
 * overrun (used memory above the candidate's limit — an OOM kill on a real host) costs {@code overrun}, a
 * share of the limit left unused costs that share × {@code unused}, and a change of the limit costs
 * {@code change}; the sum decays with a half-life of {@code costHalfLifeHours}.
 *
 * <p>The numbers were fitted on one half of a Bitbrains trace set (docs/model.md, "Learned recommender").
 * {@code scaling.memory_risk} scales the overrun price: lower risk, dearer overruns.
 */
public record RecommenderWeights(double overrun, double unused, double change, double costHalfLifeHours) {
    /** The overrun price at {@code memory_risk: low}. */
    public static final double OVERRUN_AT_LOW = 30;
    public static final double UNUSED = 1;
    public static final double CHANGE = 2;
    public static final double COST_HALF_LIFE_HOURS = 72;

    public RecommenderWeights {
        if (!(overrun >= 0 && unused >= 0 && change >= 0 && costHalfLifeHours > 0)) {
            throw new IllegalArgumentException("recommender weights must be >= 0 and the half-life > 0");
        }
    }

    /** The shipped weights for a memory risk preset: overruns cost 4× more per preset towards {@code lowest}. */
    public static RecommenderWeights forRisk(MemoryRisk risk) {
        double factor = switch (risk) {
            case LOWEST -> 4;
            case LOW -> 1;
            case MEDIUM -> 0.5;
            case HIGH -> 0.25;
            case HIGHEST -> 0.125;
        };
        return new RecommenderWeights(OVERRUN_AT_LOW * factor, UNUSED, CHANGE, COST_HALF_LIFE_HOURS);
    }
}
