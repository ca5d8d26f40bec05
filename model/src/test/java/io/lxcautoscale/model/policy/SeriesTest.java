package io.lxcautoscale.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesTest {
    /** The nearest-rank percentile by sorting: what {@link Series#percentile} must equal. */
    private static double sorted(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p * s.length);
        return s[Math.min(s.length, Math.max(1, rank)) - 1];
    }

    @Test
    void selectionGivesTheSortedNearestRankOnRandomSortedAndConstantData() {
        Random r = new Random(7);
        double[] ps = {0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 1.0};
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + r.nextInt(400);
            double[] v = new double[n];
            int kind = trial % 4;
            for (int i = 0; i < n; i++) {
                v[i] = switch (kind) {
                    case 0 -> r.nextGaussian();
                    case 1 -> r.nextInt(5);                 // many duplicates
                    case 2 -> i;                            // ascending
                    default -> n - i + (i % 3 == 0 ? 0.5 : 0); // descending, saw-toothed
                };
            }
            double[] before = v.clone();
            for (double p : ps) {
                assertThat(Series.percentile(v, p)).as("n=%d kind=%d p=%s", n, kind, p).isEqualTo(sorted(v, p));
            }
            assertThat(v).as("input left as it was").isEqualTo(before);
        }
        assertThat(Series.percentile(new double[0], 0.5)).isNaN();
        assertThat(Series.percentile(new double[] {-0.0, 0.0, 0.0}, 0.01)).isEqualTo(-0.0);
    }
}
