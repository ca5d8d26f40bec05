package io.lxcautoscale.model.features;

import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one history row into the model's feature vector: the signals themselves (levels and rates,
 * never cumulative counters), rolling mean/std/min/max of CPU and memory over
 * {@code spike_detection.rolling_window} rows, spike flags (|x − mean| &gt; k·σ), the slope of CPU and
 * memory over the recent trend window (not the whole history, bug 12), and CPU and memory per process.
 * Unknown values stay NaN here; {@link Standardiser} maps them to the container's mean.
 */
public final class FeatureExtractor {
    private static final Signal[] RAW = {
            Signal.CPU_PERCENT, Signal.MEMORY_MB, Signal.SWAP_MB, Signal.PROCESSES,
            Signal.NET_RX_BYTES_PER_S, Signal.NET_TX_BYTES_PER_S, Signal.DISK_READ_BYTES_PER_S, Signal.DISK_WRITE_BYTES_PER_S,
            Signal.THROTTLED_FRACTION, Signal.PSI_CPU_SOME, Signal.PSI_MEMORY_SOME, Signal.PSI_IO_SOME,
            Signal.MEMORY_EVENTS, Signal.OOM_KILLS};
    private static final String[] DERIVED = {
            "cpu_rolling_mean", "cpu_rolling_std", "cpu_rolling_min", "cpu_rolling_max",
            "memory_rolling_mean", "memory_rolling_std", "memory_rolling_min", "memory_rolling_max",
            "cpu_trend", "memory_trend", "cpu_spike", "memory_spike", "cpu_per_process", "memory_per_process"};

    private final int rollingWindow;
    private final int trendWindow;
    private final double spikeThreshold;

    /**
     * @param rollingWindow  rows in the rolling statistics (≥ 1)
     * @param trendWindow    rows in the trend slope (≥ 2)
     * @param spikeThreshold σ multiplier of the spike flags
     */
    public FeatureExtractor(int rollingWindow, int trendWindow, double spikeThreshold) {
        this.rollingWindow = rollingWindow;
        this.trendWindow = trendWindow;
        this.spikeThreshold = spikeThreshold;
    }

    public static int width() {
        return RAW.length + DERIVED.length;
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Signal s : RAW) {
            names.add(s.name().toLowerCase(java.util.Locale.ROOT));
        }
        names.addAll(List.of(DERIVED));
        return names;
    }

    /** The feature vector of row {@code index} of {@code h} (looking back only, as a live cycle can). */
    public double[] row(ContainerHistory h, int index) {
        double[] f = new double[width()];
        int k = 0;
        for (Signal s : RAW) {
            f[k++] = h.value(s, index);
        }
        // the rows both windows look at, read once: [base, index]
        int base = Math.max(0, index - Math.max(rollingWindow, trendWindow) + 1);
        int len = index - base + 1;
        double[] cpuWindow = new double[len];
        double[] memoryWindow = new double[len];
        long[] times = new long[len];
        h.values(Signal.CPU_PERCENT, base, len, cpuWindow);
        h.values(Signal.MEMORY_MB, base, len, memoryWindow);
        h.epochSeconds(base, len, times);
        int rollingFrom = Math.max(0, index - rollingWindow + 1) - base;
        k = rolling(cpuWindow, rollingFrom, f, k);
        k = rolling(memoryWindow, rollingFrom, f, k);
        // hours before row index, per row of the trend window (shared by both slopes)
        int trendFrom = Math.max(0, index - trendWindow + 1) - base;
        double[] hours = new double[len];
        long t0 = times[len - 1];
        for (int i = trendFrom; i < len; i++) {
            hours[i] = (times[i] - t0) / 3600.0;
        }
        f[k++] = slope(cpuWindow, hours, trendFrom);
        f[k++] = slope(memoryWindow, hours, trendFrom);
        double cpu = h.value(Signal.CPU_PERCENT, index);
        double memory = h.value(Signal.MEMORY_MB, index);
        f[k++] = spike(cpu, f[RAW.length], f[RAW.length + 1]);
        f[k++] = spike(memory, f[RAW.length + 4], f[RAW.length + 5]);
        double processes = h.value(Signal.PROCESSES, index);
        // 0 processes (or unknown) gives NaN, not a division by zero (original F21)
        f[k++] = processes > 0 ? cpu / processes : Double.NaN;
        f[k++] = processes > 0 ? memory / processes : Double.NaN;
        return f;
    }

    /** Rolling mean, std, min and max of {@code window[from…]} (the last {@code rolling_window} rows). */
    private static int rolling(double[] window, int from, double[] f, int k) {
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (int i = from; i < window.length; i++) {
            double v = window[i];
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
        return k + 4;
    }

    /** Least-squares slope per hour of {@code window[from…]} over the trend window, using real timestamps. */
    private static double slope(double[] window, double[] hours, int from) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (int i = from; i < window.length; i++) {
            double y = window[i];
            if (!Double.isNaN(y)) {
                double x = hours[i];
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                n++;
            }
        }
        double den = n * sxx - sx * sx;
        return n < 2 || den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }

    private double spike(double x, double mean, double std) {
        if (Double.isNaN(x) || Double.isNaN(mean) || Double.isNaN(std)) {
            return Double.NaN;
        }
        return Math.abs(x - mean) > spikeThreshold * std && std > 0 ? 1.0 : 0.0;
    }
}
