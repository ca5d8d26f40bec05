package io.lxcautoscale.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.Signal;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every one of the 28 features on small inputs whose values are worked out by hand (the arithmetic is in
 * the comments). All inputs are exact in a float, as the history stores them.
 */
class FeatureExtractorTest {
    private static final long T = 1_700_000_000L;
    /** rolling_window 3, trend_window 4, spike_threshold 0.5 */
    private final FeatureExtractor fx = new FeatureExtractor(3, 4, 0.5);

    /**
     * Four rows, 2 h, 1 h, 30 min and 0 before the last (hours x = −2, −1, −0.5, 0):
     * <pre>
     *   row  x     cpu%  memory MiB  processes
     *   r0   −2    10    unknown     0
     *   r1   −1    20    400         2
     *   r2   −0.5  40    600         2
     *   r3    0    60    500         4   (+ the other signals, see {@link #lastRow})
     * </pre>
     */
    private static ContainerHistory fourRows(int capacity) {
        ContainerHistory h = new ContainerHistory("101", "web", capacity, 300, 50);
        h.append(T - 7200, row(10, Double.NaN, 0));
        h.append(T - 3600, row(20, 400, 2));
        h.append(T - 1800, row(40, 600, 2));
        h.append(T, lastRow());
        return h;
    }

    private static double[] row(double cpuPercent, double memoryMb, double processes) {
        double[] v = new double[Signal.values().length];
        Arrays.fill(v, Double.NaN);
        v[Signal.CPU_PERCENT.ordinal()] = cpuPercent;
        v[Signal.MEMORY_MB.ordinal()] = memoryMb;
        v[Signal.PROCESSES.ordinal()] = processes;
        return v;
    }

    private static double[] lastRow() {
        double[] v = row(60, 500, 4);
        v[Signal.CPU_CORES.ordinal()] = 1.2;
        v[Signal.SWAP_MB.ordinal()] = 16;
        v[Signal.NET_RX_BYTES_PER_S.ordinal()] = 1000;
        v[Signal.NET_TX_BYTES_PER_S.ordinal()] = 250;
        v[Signal.DISK_READ_BYTES_PER_S.ordinal()] = 4096;
        v[Signal.DISK_WRITE_BYTES_PER_S.ordinal()] = 8192;
        v[Signal.THROTTLED_FRACTION.ordinal()] = 0.25;
        v[Signal.PSI_CPU_SOME.ordinal()] = 1.5;
        v[Signal.PSI_MEMORY_SOME.ordinal()] = 2.5;
        v[Signal.PSI_IO_SOME.ordinal()] = 3.5;
        v[Signal.MEMORY_EVENTS.ordinal()] = 2;
        v[Signal.OOM_KILLS.ordinal()] = 1;
        return v;
    }

    @Test
    void theNamesAreTheTwentyEightFeaturesInOrder() {
        assertThat(FeatureExtractor.width()).isEqualTo(28);
        assertThat(FeatureExtractor.names()).containsExactly(
                "cpu_percent", "memory_mb", "swap_mb", "processes",
                "net_rx_bytes_per_s", "net_tx_bytes_per_s", "disk_read_bytes_per_s", "disk_write_bytes_per_s",
                "throttled_fraction", "psi_cpu_some", "psi_memory_some", "psi_io_some", "memory_events", "oom_kills",
                "cpu_rolling_mean", "cpu_rolling_std", "cpu_rolling_min", "cpu_rolling_max",
                "memory_rolling_mean", "memory_rolling_std", "memory_rolling_min", "memory_rolling_max",
                "cpu_trend", "memory_trend", "cpu_spike", "memory_spike", "cpu_per_process", "memory_per_process");
    }

    @Test
    void everyFeatureOfTheLastRow() {
        double[] f = fx.row(fourRows(100), 3);
        assertThat(f).hasSize(28);
        // 0–13: the signals of r3 themselves (cpu_cores is not a feature)
        double[] raw = {60, 500, 16, 4, 1000, 250, 4096, 8192, 0.25, 1.5, 2.5, 3.5, 2, 1};
        for (int i = 0; i < raw.length; i++) {
            assertThat(f[i]).as("feature %d %s", i, FeatureExtractor.names().get(i)).isEqualTo(raw[i]);
        }
        // 14–17: CPU over the last 3 rows r1..r3 = 20, 40, 60 (r0's 10 is outside the window):
        // mean 120 / 3 = 40; sample std sqrt(((−20)² + 0² + 20²) / (3 − 1)) = sqrt(400) = 20; min 20; max 60
        assertThat(f[14]).isEqualTo(40);
        assertThat(f[15]).isEqualTo(20);
        assertThat(f[16]).isEqualTo(20);
        assertThat(f[17]).isEqualTo(60);
        // 18–21: memory r1..r3 = 400, 600, 500: mean 1500 / 3 = 500; std sqrt((100² + 100² + 0²) / 2) = 100; min 400; max 600
        assertThat(f[18]).isEqualTo(500);
        assertThat(f[19]).isEqualTo(100);
        assertThat(f[20]).isEqualTo(400);
        assertThat(f[21]).isEqualTo(600);
        // 22: CPU slope per hour over the last 4 rows, least squares on x = −2, −1, −0.5, 0 and y = 10, 20, 40, 60:
        // n 4, Σx −3.5, Σy 130, Σx² 5.25, Σxy −20 − 20 − 20 + 0 = −60;
        // (n Σxy − Σx Σy) / (n Σx² − (Σx)²) = (−240 + 455) / (21 − 12.25) = 215 / 8.75 = 172 / 7 ≈ 24.571 %/h
        assertThat(f[22]).isCloseTo(172.0 / 7, within(1e-9));
        // 23: memory slope, r0 unknown so 3 points x = −1, −0.5, 0 and y = 400, 600, 500:
        // n 3, Σx −1.5, Σy 1500, Σx² 1.25, Σxy −400 − 300 + 0 = −700; (−2100 + 2250) / (3.75 − 2.25) = 150 / 1.5 = 100 MiB/h
        assertThat(f[23]).isCloseTo(100, within(1e-9));
        // 24: CPU spike: |60 − 40| = 20 > 0.5 × 20 = 10 → 1
        assertThat(f[24]).isEqualTo(1.0);
        // 25: memory spike: |500 − 500| = 0, not > 0.5 × 100 → 0
        assertThat(f[25]).isEqualTo(0.0);
        // 26, 27: per process: 60 / 4 = 15 % and 500 / 4 = 125 MiB
        assertThat(f[26]).isEqualTo(15);
        assertThat(f[27]).isEqualTo(125);
    }

    @Test
    void theFirstRowHasNoHistoryToCompareWith() {
        double[] f = fx.row(fourRows(100), 0);
        // r0: cpu 10, memory unknown, 0 processes, every other signal unknown
        assertThat(f[0]).isEqualTo(10);
        assertThat(f[3]).isEqualTo(0);
        for (int i : new int[] {1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}) {
            assertThat(f[i]).as("feature %d %s", i, FeatureExtractor.names().get(i)).isNaN();
        }
        // one CPU value: mean = min = max = 10, std 0 (not NaN: n − 1 = 0 is not divided by)
        assertThat(Arrays.copyOfRange(f, 14, 18)).containsExactly(10, 0, 10, 10);
        // no memory value: all four unknown
        assertThat(Arrays.copyOfRange(f, 18, 22)).containsOnly(Double.NaN);
        // a slope needs 2 points
        assertThat(f[22]).isNaN();
        assertThat(f[23]).isNaN();
        // |10 − 10| = 0 with std 0: not a spike; memory unknown: unknown
        assertThat(f[24]).isEqualTo(0.0);
        assertThat(f[25]).isNaN();
        // 0 processes: NaN, not a division by zero (original F21)
        assertThat(f[26]).isNaN();
        assertThat(f[27]).isNaN();
    }

    @Test
    void rowsEvictedFromTheRingAreNotInTheWindows() {
        // capacity 3: r0 is overwritten by r3, so the history is r1, r2, r3 and row 2 is r3
        ContainerHistory h = fourRows(3);
        assertThat(h.size()).isEqualTo(3);
        double[] f = fx.row(h, 2);
        // rolling window unchanged (r1..r3): 40, 20, 20, 60
        assertThat(Arrays.copyOfRange(f, 14, 18)).containsExactly(40, 20, 20, 60);
        // the CPU trend now has 3 points x = −1, −0.5, 0 and y = 20, 40, 60: on a line of 40 %/h
        // (Σx −1.5, Σy 120, Σx² 1.25, Σxy −40; (−120 + 180) / (3.75 − 2.25) = 60 / 1.5 = 40)
        assertThat(f[22]).isCloseTo(40, within(1e-9));
        // memory had no value in r0: still 100 MiB/h
        assertThat(f[23]).isCloseTo(100, within(1e-9));
        // row 0 is now r1: cpu 20, memory 400, 2 processes → 10 % and 200 MiB per process
        double[] first = fx.row(h, 0);
        assertThat(first[0]).isEqualTo(20);
        assertThat(first[26]).isEqualTo(10);
        assertThat(first[27]).isEqualTo(200);
    }

    @Test
    void aRowLooksBackOnlyNeverAtLaterRows() {
        // row 2 (r2) with the 4-row history: CPU window r0..r2 = 10, 20, 40 → min 10, max 40 (r3's 60 unseen);
        // CPU trend over r0..r2, hours before r2 x = −1.5, −0.5, 0 and y = 10, 20, 40:
        // Σx −2, Σy 70, Σx² 2.25 + 0.25 = 2.5, Σxy −15 − 10 + 0 = −25; (3 × −25 + 140) / (7.5 − 4) = 65 / 3.5 = 130 / 7
        double[] f = fx.row(fourRows(100), 2);
        assertThat(f[0]).isEqualTo(40);
        assertThat(f[16]).isEqualTo(10);
        assertThat(f[17]).isEqualTo(40);
        assertThat(f[22]).isCloseTo(130.0 / 7, within(1e-9));
    }
}
