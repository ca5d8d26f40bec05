package io.lxcautoscale.bench.api;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample: the smallest value with at least p % of the sample at or below it. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    /** The {@code p}-th percentile, 0 < p ≤ 100. */
    long at(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is not in (0, 100]");
        }
        // less a hair: 99.9 / 100 × 1000 is 999.0000000000001 in doubles, whose ceiling would skip a rank
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
        return sorted[Math.max(rank, 1) - 1];
    }

    long max() {
        return sorted[sorted.length - 1];
    }

    int count() {
        return sorted.length;
    }

    /** {@code p50 … p90 … p99 … max …} in milliseconds, for values in nanoseconds. */
    String summaryMillis() {
        return String.format("p50 %7.2f  p90 %7.2f  p99 %7.2f  max %8.2f ms", at(50) / 1e6, at(90) / 1e6, at(99) / 1e6, max() / 1e6);
    }
}
