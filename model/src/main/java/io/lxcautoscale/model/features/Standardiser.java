package io.lxcautoscale.model.features;

import java.util.List;

/**
 * Per-container standardisation: each feature becomes (x − mean) / std of that container's own rows,
 * so one pooled forest compares every container against its own baseline. Unknown values (NaN) become
 * 0, the container's mean; constant features divide by 1.
 */
public final class Standardiser {
    private final double[] mean;
    private final double[] std;

    private Standardiser(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Fits mean and std on {@code rows}, ignoring NaNs per column. */
    public static Standardiser fit(List<double[]> rows) {
        int width = rows.isEmpty() ? 0 : rows.get(0).length;
        double[] mean = new double[width];
        double[] std = new double[width];
        for (int c = 0; c < width; c++) {
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (double[] r : rows) {
                double v = r[c];
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    sum += v;
                    sumSq += v * v;
                    n++;
                }
            }
            double m = n == 0 ? 0 : sum / n;
            double var = n == 0 ? 0 : Math.max(0, sumSq / n - m * m);
            mean[c] = m;
            std[c] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        return new Standardiser(mean, std);
    }

    /** A new standardised copy of {@code row}. */
    public double[] apply(double[] row) {
        double[] out = new double[row.length];
        for (int c = 0; c < row.length; c++) {
            double v = row[c];
            out[c] = Double.isNaN(v) || Double.isInfinite(v) ? 0 : (v - mean[c]) / std[c];
        }
        return out;
    }
}
