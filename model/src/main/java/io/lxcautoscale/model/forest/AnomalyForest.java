package io.lxcautoscale.model.forest;

import java.lang.reflect.Field;
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
 * {@code docs/reference/isolation-forest.md} §2, §3). The anomaly threshold is the (1 − contamination)
 * quantile of the training scores, like scikit-learn's {@code offset_}.
 */
public final class AnomalyForest {
    private final IsolationForest forest;
    /** The same trees laid out flat for scoring; null when Smile's trees could not be read. */
    private final FlatForest flat;
    private final double threshold;
    /** Training scores, sorted, for the one-sided rank of a new score. */
    private final double[] sortedTrainingScores;

    private AnomalyForest(IsolationForest forest, FlatForest flat, double threshold, double[] sortedTrainingScores) {
        this.forest = forest;
        this.flat = flat;
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
        FlatForest flat = FlatForest.of(forest, built);

        int scored = Math.min(n, maxThresholdRows);
        int[] which = scored == n ? null : sampleWithoutReplacement(sampler, n, scored);
        double[] scores = new double[scored];
        for (int i = 0; i < scored; i++) {
            double[] row = rows[which == null ? i : which[i]];
            scores[i] = flat == null ? forest.score(row) : flat.score(row, forest);
        }
        Arrays.sort(scores);
        double threshold = quantile(scores, 1.0 - contamination);
        return new AnomalyForest(forest, flat, threshold, scores);
    }

    /** Isolation score in [0, 1]: 2^(−mean path length / c(ψ)); higher = more unusual (= −score_samples). */
    public double score(double[] row) {
        return flat == null ? forest.score(row) : flat.score(row, forest);
    }

    /** The score as Smile's own trees compute it (what {@link #score} must equal; tests). */
    double smileScore(double[] row) {
        return forest.score(row);
    }

    /** Whether scoring uses the flat copy of the trees (tests). */
    boolean flat() {
        return flat != null;
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

    /**
     * Smile's trees copied into flat arrays, scored with the very same arithmetic. A Smile node sends x left
     * when {@code MathEx.dot(x, slope) < bias}; with extension level 0 (axis-parallel splits, as
     * {@link #train} builds them) the slope has one non-zero element j, so for finite x the dot product is
     * exactly {@code x[j] * slope[j]} (the other terms are ±0). Leaves keep Smile's path length. The score
     * sums the trees' path lengths in Smile's order and normalises as {@code IsolationForest.score} does,
     * so it is bit for bit Smile's, without the 28-element dot product per node; a row with a non-finite
     * element (where 0 · x is NaN) is scored by Smile itself.
     */
    static final class FlatForest {
        private final int[] roots;
        /** Split feature per node, −1 for a leaf. */
        private final int[] feature;
        private final double[] coefficient;
        /** The split's bias, or the leaf's path length. */
        private final double[] value;
        private final int[] left;
        private final int[] right;
        private final double c;

        private FlatForest(int[] roots, int[] feature, double[] coefficient, double[] value, int[] left,
                           int[] right, double c) {
            this.roots = roots;
            this.feature = feature;
            this.coefficient = coefficient;
            this.value = value;
            this.left = left;
            this.right = right;
            this.c = c;
        }

        /** The flat copy of {@code trees}, or null when Smile's fields cannot be read or a split is not axis-parallel. */
        static FlatForest of(IsolationForest forest, IsolationTree[] trees) {
            try {
                Field root = IsolationTree.class.getDeclaredField("root");
                Class<?> node = Class.forName("smile.anomaly.IsolationTree$Node");
                Field depth = node.getDeclaredField("depth");
                Field slope = node.getDeclaredField("slope");
                Field bias = node.getDeclaredField("bias");
                Field leftField = node.getDeclaredField("left");
                Field rightField = node.getDeclaredField("right");
                Field cField = IsolationForest.class.getDeclaredField("c");
                for (Field f : new Field[] {root, depth, slope, bias, leftField, rightField, cField}) {
                    f.setAccessible(true);
                }
                Builder b = new Builder();
                int[] roots = new int[trees.length];
                for (int t = 0; t < trees.length; t++) {
                    roots[t] = b.add(root.get(trees[t]), depth, slope, bias, leftField, rightField);
                    if (roots[t] < 0) {
                        return null;
                    }
                }
                return new FlatForest(roots, Arrays.copyOf(b.feature, b.size), Arrays.copyOf(b.coefficient, b.size),
                        Arrays.copyOf(b.value, b.size), Arrays.copyOf(b.left, b.size), Arrays.copyOf(b.right, b.size),
                        cField.getDouble(forest));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        double score(double[] x, IsolationForest smile) {
            for (double v : x) {
                if (!Double.isFinite(v)) {
                    return smile.score(x);
                }
            }
            double length = 0;
            for (int r : roots) {
                int n = r;
                for (int f = feature[n]; f >= 0; f = feature[n]) {
                    n = x[f] * coefficient[n] < value[n] ? left[n] : right[n];
                }
                length += value[n];
            }
            length /= roots.length;
            return Math.pow(2.0, -length / c);
        }

        /** Appends nodes depth first; −1 when a split has not exactly one non-zero slope element. */
        private static final class Builder {
            int size;
            int[] feature = new int[256];
            double[] coefficient = new double[256];
            double[] value = new double[256];
            int[] left = new int[256];
            int[] right = new int[256];

            int add(Object node, Field depth, Field slope, Field bias, Field leftField, Field rightField)
                    throws IllegalAccessException {
                Object l = leftField.get(node);
                Object r = rightField.get(node);
                int i = size++;
                if (i == feature.length) {
                    int cap = 2 * i;
                    feature = Arrays.copyOf(feature, cap);
                    coefficient = Arrays.copyOf(coefficient, cap);
                    value = Arrays.copyOf(value, cap);
                    left = Arrays.copyOf(left, cap);
                    right = Arrays.copyOf(right, cap);
                }
                if (l == null && r == null) {
                    feature[i] = -1;
                    value[i] = depth.getDouble(node);
                    return i;
                }
                if (l == null || r == null) {
                    return -1;
                }
                double[] s = (double[]) slope.get(node);
                int j = -1;
                for (int k = 0; k < s.length; k++) {
                    if (s[k] != 0) {
                        if (j >= 0) {
                            return -1;
                        }
                        j = k;
                    }
                }
                if (j < 0) {
                    return -1;
                }
                feature[i] = j;
                coefficient[i] = s[j];
                value[i] = bias.getDouble(node);
                int li = add(l, depth, slope, bias, leftField, rightField);
                int ri = li < 0 ? -1 : add(r, depth, slope, bias, leftField, rightField);
                if (ri < 0) {
                    return -1;
                }
                left[i] = li;
                right[i] = ri;
                return i;
            }
        }
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
