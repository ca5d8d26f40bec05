package io.lxcautoscale.model.forest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;

/**
 * An isolation forest built the way scikit-learn builds it, on Smile 3.1.1's trees: each tree gets its
 * own random subsample of ψ = {@code maxSamples} rows (Smile's {@code fit} ignores the subsample rate),
 * depth limit ⌈log2 ψ⌉, axis-parallel splits, and scores are normalised by c(ψ) rather than c(n) (see
 * {@code ../shared/reference/autoscaling.md} §5). The anomaly threshold is the (1 − contamination)
 * quantile of the training scores, like scikit-learn's {@code offset_}.
 */
public final class AnomalyForest {
    private final IsolationForest forest;
    private final double threshold;
    /** Training scores, sorted, for the one-sided rank of a new score. */
    private final double[] sortedTrainingScores;

    private AnomalyForest(IsolationForest forest, double threshold, double[] sortedTrainingScores) {
        this.forest = forest;
        this.threshold = threshold;
        this.sortedTrainingScores = sortedTrainingScores;
    }

    /**
     * Trains a forest.
     *
     * @param rows          training rows (standardised features), at least 2
     * @param trees         number of trees ({@code model.n_estimators})
     * @param maxSamples    ψ, rows per tree ({@code model.max_samples}); capped at the row count
     * @param contamination expected share of anomalies, 0 &lt; c &lt; 0.5
     * @param seed          random seed ({@code model.random_state}); same rows and seed give the same forest
     * @param maxThresholdRows at most this many training rows are scored to place the threshold
     */
    public static AnomalyForest train(double[][] rows, int trees, int maxSamples, double contamination, long seed,
                                      int maxThresholdRows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 rows, got " + n);
        }
        int psi = Math.min(maxSamples, n);
        int depth = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
        // Smile's RNG is per thread: seed this one and build sequentially so a seed means one forest.
        MathEx.setSeed(seed);
        Random sampler = new Random(seed);
        IsolationTree[] built = new IsolationTree[trees];
        for (int t = 0; t < trees; t++) {
            List<double[]> sample = new ArrayList<>(psi);
            for (int index : sampleWithoutReplacement(sampler, n, psi)) {
                sample.add(rows[index]);
            }
            built[t] = new IsolationTree(sample, depth, 0);
        }
        IsolationForest forest = new IsolationForest(psi, 0, built);

        int scored = Math.min(n, maxThresholdRows);
        int[] which = scored == n ? null : sampleWithoutReplacement(sampler, n, scored);
        double[] scores = new double[scored];
        for (int i = 0; i < scored; i++) {
            scores[i] = forest.score(rows[which == null ? i : which[i]]);
        }
        Arrays.sort(scores);
        double threshold = quantile(scores, 1.0 - contamination);
        return new AnomalyForest(forest, threshold, scores);
    }

    /** Isolation score in [0, 1]: 2^(−mean path length / c(ψ)); higher = more unusual (= −score_samples). */
    public double score(double[] row) {
        return forest.score(row);
    }

    /** Scores above this are anomalies. */
    public double threshold() {
        return threshold;
    }

    /** Share (0–100) of training rows that scored below {@code score}. */
    public double rankPercent(double score) {
        int lo = 0;
        int hi = sortedTrainingScores.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedTrainingScores[mid] < score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return 100.0 * lo / sortedTrainingScores.length;
    }

    public int trees() {
        return forest.size();
    }

    /** Linear-interpolated quantile of sorted values, as numpy's default percentile. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** k distinct indices from [0, n) by a partial Fisher–Yates shuffle over a sparse map (O(k) memory). */
    static int[] sampleWithoutReplacement(Random random, int n, int k) {
        java.util.HashMap<Integer, Integer> swapped = new java.util.HashMap<>(k * 2);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int atJ = swapped.getOrDefault(j, j);
            int atI = swapped.getOrDefault(i, i);
            out[i] = atJ;
            swapped.put(j, atI);
        }
        return out;
    }
}
