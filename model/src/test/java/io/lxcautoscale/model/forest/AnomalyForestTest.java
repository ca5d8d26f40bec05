package io.lxcautoscale.model.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyForestTest {
    private static double[][] gaussian(int n, int dims, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][dims];
        for (double[] row : x) {
            for (int d = 0; d < dims; d++) {
                row[d] = r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void scoresOnTheUsualScaleUnlikeSmilesBuiltInFit() {
        // docs/reference/isolation-forest.md §3: with c(psi) normalisation, ~0.40 at the centre and ~0.75 far out
        AnomalyForest f = AnomalyForest.train(gaussian(20_000, 2, 1), 100, 256, 0.05, 42, 20_000);
        assertThat(f.score(new double[] {0, 0})).isBetween(0.35, 0.45);
        assertThat(f.score(new double[] {6, 6})).isBetween(0.70, 0.80);
    }

    @Test
    void thresholdIsTheContaminationQuantileOfTrainingScores() {
        double[][] x = gaussian(5000, 3, 2);
        AnomalyForest f = AnomalyForest.train(x, 100, 64, 0.05, 42, 5000);
        long above = Arrays.stream(x).filter(row -> f.score(row) > f.threshold()).count();
        assertThat(above / 5000.0).isCloseTo(0.05, within(0.005));
        assertThat(f.rankPercent(f.threshold() + 1e-9)).isCloseTo(95, within(0.5));
    }

    @Test
    void sameSeedSameForest() {
        double[][] x = gaussian(2000, 4, 3);
        AnomalyForest a = AnomalyForest.train(x, 50, 64, 0.05, 7, 2000);
        AnomalyForest b = AnomalyForest.train(x, 50, 64, 0.05, 7, 2000);
        AnomalyForest c = AnomalyForest.train(x, 50, 64, 0.05, 8, 2000);
        double[] probe = {2.5, -1, 0.3, 1};
        assertThat(a.score(probe)).isEqualTo(b.score(probe));
        assertThat(a.score(probe)).isNotEqualTo(c.score(probe));
    }

    @Test
    void flatScoringIsBitForBitSmilesIncludingRowsWithUnknownValues() {
        double[][] x = gaussian(3000, 28, 5);
        AnomalyForest f = AnomalyForest.train(x, 100, 64, 0.05, 42, 2000);
        assertThat(f.flat()).as("Smile's trees were copied").isTrue();
        Random r = new Random(9);
        for (int i = 0; i < 5000; i++) {
            double[] row = i < x.length ? x[i] : gaussian(1, 28, 1000 + i)[0];
            if (i % 7 == 0) {
                row = row.clone();
                row[r.nextInt(28)] = r.nextInt(3) == 0 ? Double.NaN : r.nextGaussian() * 50;
            }
            if (i % 11 == 0) {
                row = row.clone();
                row[r.nextInt(28)] = 0.0;
            }
            assertThat(Double.doubleToLongBits(f.score(row))).as("row %d", i)
                    .isEqualTo(Double.doubleToLongBits(f.smileScore(row)));
        }
    }

    @Test
    void sampleWithoutReplacementGivesDistinctIndices() {
        int[] s = AnomalyForest.sampleWithoutReplacement(new Random(1), 100, 100);
        assertThat(Arrays.stream(s).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
    }

    /** Parity with scikit-learn on a committed fixture (data and scores from bench/…/model/sklearn_fixture.py). */
    @Test
    void ranksLikeScikitLearn() throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<Double> sklearn = new ArrayList<>();
        List<Integer> predict = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/forest/sklearn_parity.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                if (line.startsWith("#") || line.startsWith("x0") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])});
                sklearn.add(-Double.parseDouble(f[4]));   // score_samples is the negated paper score
                predict.add(Integer.parseInt(f[5].trim()));
            }
        }
        double[][] x = rows.toArray(new double[0][]);
        AnomalyForest f = AnomalyForest.train(x, 100, 64, 0.05, 42, x.length);
        double[] ours = Arrays.stream(x).mapToDouble(f::score).toArray();
        double[] theirs = sklearn.stream().mapToDouble(Double::doubleValue).toArray();
        double rho = spearman(ours, theirs);
        System.out.printf("sklearn parity: spearman %.4f, threshold %.4f%n", rho, f.threshold());
        assertThat(rho).isGreaterThanOrEqualTo(0.9);
        int agree = 0;
        for (int i = 0; i < x.length; i++) {
            boolean oursAnomalous = ours[i] > f.threshold();
            agree += oursAnomalous == (predict.get(i) == -1) ? 1 : 0;
        }
        System.out.printf("sklearn parity: label agreement %.4f%n", agree / (double) x.length);
        assertThat(agree / (double) x.length).isGreaterThanOrEqualTo(0.95);
    }

    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return cov / Math.sqrt(va * vb);
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (i, j) -> Double.compare(v[i], v[j]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[idx[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return r;
    }
}
