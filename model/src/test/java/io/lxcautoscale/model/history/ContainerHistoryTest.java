package io.lxcautoscale.model.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContainerHistoryTest {
    static double[] row(double cpuPercent, double cpuCores, double memoryMb, double oom) {
        double[] v = new double[Signal.values().length];
        Arrays.fill(v, Double.NaN);
        v[Signal.CPU_PERCENT.ordinal()] = cpuPercent;
        v[Signal.CPU_CORES.ordinal()] = cpuCores;
        v[Signal.MEMORY_MB.ordinal()] = memoryMb;
        v[Signal.OOM_KILLS.ordinal()] = oom;
        return v;
    }

    @Test
    void keepsOnlyTheNewestRowsWhenFull() {
        ContainerHistory h = new ContainerHistory("101", "web", 5, 300, 10);
        for (int i = 0; i < 12; i++) {
            h.append(1000 + i * 10L, row(i, i / 100.0, 100 + i, 0));
        }
        assertThat(h.size()).isEqualTo(5);
        assertThat(h.appended()).isEqualTo(12);
        assertThat(h.value(Signal.CPU_PERCENT, 0)).isEqualTo(7);
        assertThat(h.value(Signal.CPU_PERCENT, 4)).isEqualTo(11);
        assertThat(h.epochSecond(4)).isEqualTo(1110);
    }

    @Test
    void dropsSamplesThatAreNotNewer() {
        ContainerHistory h = new ContainerHistory("101", "web", 5, 300, 10);
        assertThat(h.append(1000, row(1, 0.1, 100, 0))).isTrue();
        assertThat(h.append(1000, row(2, 0.2, 100, 0))).isFalse();
        assertThat(h.append(990, row(3, 0.3, 100, 0))).isFalse();
        assertThat(h.size()).isEqualTo(1);
    }

    @Test
    void stepsAverageCpuPeakMemoryAndMarkGaps() {
        ContainerHistory h = new ContainerHistory("101", "web", 100, 300, 10);
        h.append(0, row(50, 1.0, 100, 0));
        h.append(100, row(100, 2.0, 300, 0));
        h.append(200, row(Double.NaN, Double.NaN, 200, 0));
        // nothing in [300, 600): one unknown step
        h.append(600, row(25, Double.NaN, 50, 0));
        double[][] s = h.stepSeries(4);
        assertThat(s[0]).containsExactly(1.5, Double.NaN, 1.0);     // 25 % of 4 cores where cores were not measured
        assertThat(s[1]).containsExactly(300.0, Double.NaN, 50.0);
        assertThat(h.currentStepEndEpochSecond()).isEqualTo(900);
    }

    @Test
    void stepSeriesKeepsTheNewestStepsOldestFirstOnceTheRingWraps() {
        ContainerHistory h = new ContainerHistory("101", "web", 100, 300, 4);
        for (int i = 0; i < 11; i++) {
            // step 6 has CPU % only, so its cores come from the percentage
            h.append(300L * i, row(10 * i, i == 6 ? Double.NaN : i, 100 + i, 0));
        }
        double[][] s = h.stepSeries(2);
        // closed steps 6..9 (the ring keeps 4), then the open step 10
        assertThat(s[0]).containsExactly(1.2, 7.0, 8.0, 9.0, 10.0);
        assertThat(s[1]).containsExactly(106.0, 107.0, 108.0, 109.0, 110.0);
        // step 6 leaves the ring; steps 13 and 15 have CPU % only again
        for (int i = 11; i < 17; i++) {
            h.append(300L * i, row(10 * i, i == 13 || i == 15 ? Double.NaN : i, 100 + i, 0));
        }
        assertThat(h.stepSeries(4)[0]).containsExactly(12.0, 5.2, 14.0, 6.0, 16.0);
    }

    @Test
    void oomKillsStayPendingUntilAcknowledged() {
        ContainerHistory h = new ContainerHistory("101", "web", 10, 300, 10);
        h.append(0, row(1, 0.1, 100, 1));
        h.append(10, row(1, 0.1, 100, 2));
        assertThat(h.pendingOomKills()).isEqualTo(3);
        assertThat(h.pendingOomKills()).isEqualTo(3); // reading does not consume them
        h.append(20, row(1, 0.1, 100, 4));           // a kill arrives while the increase for the first 3 is applied
        h.acknowledgeOomKills(3);
        assertThat(h.pendingOomKills()).isEqualTo(4);
        h.acknowledgeOomKills(4);
        assertThat(h.pendingOomKills()).isZero();
    }

    @Test
    void aReusedVmidStartsAFreshHistory() throws Exception {
        HistoryStore store = new HistoryStore(100, 300, 10);
        JsonNode a = Json.mapper().readTree("{\"timestamp\":\"2026-08-18T10:00:00.000000+00:00\",\"cpu_usage_percent\":10,"
                + "\"memory_usage_mb\":100,\"allocation\":{\"hostname\":\"old\"}}");
        JsonNode b = Json.mapper().readTree("{\"timestamp\":\"2026-08-18T10:00:10.000000+00:00\",\"cpu_usage_percent\":10,"
                + "\"memory_usage_mb\":100,\"allocation\":{\"hostname\":\"old\"}}");
        JsonNode c = Json.mapper().readTree("{\"timestamp\":\"2026-08-18T10:00:20.000000+00:00\",\"cpu_usage_percent\":90,"
                + "\"memory_usage_mb\":900,\"allocation\":{\"hostname\":\"new\"}}");
        store.add("101", a);
        store.add("101", b);
        assertThat(store.get("101").size()).isEqualTo(2);
        store.add("101", c);
        assertThat(store.get("101").size()).isEqualTo(1);
        assertThat(store.get("101").hostname()).isEqualTo("new");
    }

    @Test
    void legacyCumulativeCountersBecomeRates() throws Exception {
        HistoryStore store = new HistoryStore(100, 300, 10);
        store.add("101", Json.mapper().readTree("{\"timestamp\":\"2026-08-18T10:00:00+00:00\",\"network_usage\":{\"rx_bytes\":1000,\"tx_bytes\":0},"
                + "\"io_stats\":{\"reads\":10,\"writes\":0}}"));
        store.add("101", Json.mapper().readTree("{\"timestamp\":\"2026-08-18T10:00:10+00:00\",\"network_usage\":{\"rx_bytes\":6000,\"tx_bytes\":0},"
                + "\"io_stats\":{\"reads\":30,\"writes\":0}}"));
        ContainerHistory h = store.get("101");
        assertThat(h.value(Signal.NET_RX_BYTES_PER_S, 0)).isNaN();
        assertThat(h.value(Signal.NET_RX_BYTES_PER_S, 1)).isEqualTo(500.0);
        assertThat(h.value(Signal.DISK_READ_BYTES_PER_S, 1)).isEqualTo(20 * 512 / 10.0);
    }

    @Test
    void aSampleWithoutTimestampIsSkipped() throws Exception {
        HistoryStore store = new HistoryStore(100, 300, 10);
        assertThat(store.add("101", Json.mapper().readTree("{\"cpu_usage_percent\":10}"))).isFalse();
        assertThat(store.badSamples()).isEqualTo(1);
    }
}
