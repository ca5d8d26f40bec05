package io.lxcautoscale.model.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.Signal;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
    /** The features computed row by row through {@link ContainerHistory#value}, as the extractor first did. */
    private static double[] reference(ContainerHistory h, int index, int rollingWindow, int trendWindow) {
        double[] f = new double[FeatureExtractor.width()];
        Signal[] raw = {Signal.CPU_PERCENT, Signal.MEMORY_MB, Signal.SWAP_MB, Signal.PROCESSES,
                Signal.NET_RX_BYTES_PER_S, Signal.NET_TX_BYTES_PER_S, Signal.DISK_READ_BYTES_PER_S,
                Signal.DISK_WRITE_BYTES_PER_S, Signal.THROTTLED_FRACTION, Signal.PSI_CPU_SOME, Signal.PSI_MEMORY_SOME,
                Signal.PSI_IO_SOME, Signal.MEMORY_EVENTS, Signal.OOM_KILLS};
        int k = 0;
        for (Signal s : raw) {
            f[k++] = h.value(s, index);
        }
        for (Signal s : new Signal[] {Signal.CPU_PERCENT, Signal.MEMORY_MB}) {
            int from = Math.max(0, index - rollingWindow + 1);
            double sum = 0;
            double sumSq = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int n = 0;
            for (int i = from; i <= index; i++) {
                double v = h.value(s, i);
                if (!Double.isNaN(v)) {
                    sum += v;
                    sumSq += v * v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    n++;
                }
            }
            if (n == 0) {
                f[k] = f[k + 1] = f[k + 2] = f[k + 3] = Double.NaN;
            } else {
                double mean = sum / n;
                f[k] = mean;
                f[k + 1] = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) : 0;
                f[k + 2] = min;
                f[k + 3] = max;
            }
            k += 4;
        }
        for (Signal s : new Signal[] {Signal.CPU_PERCENT, Signal.MEMORY_MB}) {
            int from = Math.max(0, index - trendWindow + 1);
            long t0 = h.epochSecond(index);
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            int n = 0;
            for (int i = from; i <= index; i++) {
                double y = h.value(s, i);
                if (!Double.isNaN(y)) {
                    double x = (h.epochSecond(i) - t0) / 3600.0;
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    sxy += x * y;
                    n++;
                }
            }
            double den = n * sxx - sx * sx;
            f[k++] = n < 2 || den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
        }
        return f;
    }

    @Test
    void rowsAreBitForBitTheRowByRowComputationAlsoAcrossTheRingsWrap() {
        Random r = new Random(3);
        for (int[] windows : new int[][] {{5, 30}, {40, 3}, {1, 2}}) {
            FeatureExtractor fx = new FeatureExtractor(windows[0], windows[1], 2.0);
            ContainerHistory h = new ContainerHistory("101", "web", 200, 300, 50);
            long t = 1_700_000_000L;
            double[] v = new double[Signal.values().length];
            for (int step = 0; step < 700; step++) {
                t += 1 + r.nextInt(600);
                Arrays.fill(v, Double.NaN);
                v[Signal.CPU_PERCENT.ordinal()] = r.nextInt(10) == 0 ? Double.NaN : r.nextDouble() * 400;
                v[Signal.MEMORY_MB.ordinal()] = r.nextInt(15) == 0 ? Double.NaN : 500 + r.nextGaussian() * 100;
                v[Signal.PROCESSES.ordinal()] = r.nextInt(4);
                h.append(t, v);
                int index = r.nextInt(h.size());
                for (int i : new int[] {index, 0, h.size() - 1}) {
                    double[] got = fx.row(h, i);
                    double[] want = reference(h, i, windows[0], windows[1]);
                    for (int c = 0; c < 24; c++) {
                        assertThat(Double.doubleToLongBits(got[c])).as("feature %d of row %d after %d appends", c, i, step)
                                .isEqualTo(Double.doubleToLongBits(want[c]));
                    }
                }
            }
        }
    }
}
