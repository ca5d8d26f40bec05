package io.lxcautoscale.model.policy;

import java.util.Arrays;

/** Small statistics over the tail of a per-step series, skipping unknown (NaN) steps. */
final class Series {
    private Series() {
    }

    /** Values among the last {@code window} elements that are known. */
    static double[] tail(double[] values, int window) {
        int from = Math.max(0, values.length - window);
        double[] out = new double[values.length - from];
        int n = 0;
        for (int i = from; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                out[n++] = values[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    static double max(double[] values, int window) {
        double[] t = tail(values, window);
        double m = Double.NaN;
        for (double v : t) {
            m = Double.isNaN(m) ? v : Math.max(m, v);
        }
        return m;
    }

    /** Nearest-rank percentile (p in 0..1) of the known values; NaN when there are none. */
    static double percentile(double[] known, double p) {
        if (known.length == 0) {
            return Double.NaN;
        }
        double[] sorted = known.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
