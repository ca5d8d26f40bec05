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

    /** Nearest-rank percentile (p in 0..1) of the known values; NaN when there are none. Does not change {@code known}. */
    static double percentile(double[] known, double p) {
        if (known.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * known.length);
        return kthSmallest(known.clone(), Math.min(known.length, Math.max(1, rank)) - 1);
    }

    /** The k-th smallest (0-based) of {@code a} by selection (Hoare's quickselect, median-of-three); reorders {@code a}. */
    static double kthSmallest(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three as the pivot keeps sorted and constant windows linear
            if (Double.compare(a[mid], a[lo]) < 0) {
                swap(a, mid, lo);
            }
            if (Double.compare(a[hi], a[lo]) < 0) {
                swap(a, hi, lo);
            }
            if (Double.compare(a[hi], a[mid]) < 0) {
                swap(a, hi, mid);
            }
            double pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (Double.compare(a[i], pivot) < 0) {
                    i++;
                }
                while (Double.compare(a[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
