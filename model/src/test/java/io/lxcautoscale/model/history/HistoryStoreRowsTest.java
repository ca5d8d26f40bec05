package io.lxcautoscale.model.history;

import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricsReader;
import io.lxcautoscale.common.metrics.SampleRowDecoder;
import io.lxcautoscale.common.metrics.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Samples read from the metrics file straight into rows, and the original's naive local timestamps. */
class HistoryStoreRowsTest {
    @TempDir
    Path dir;

    private static final String MONITOR_LINE = "{\"101\":{\"timestamp\":\"2026-08-18T10:00:00.000000+00:00\",\"cpu_usage_percent\":25.5,"
            + "\"cpu\":{\"used_cores\":0.51,\"nr_periods\":100,\"nr_throttled\":25},"
            + "\"memory\":{\"used_mb\":300,\"shmem_mb\":20,\"swap_mb\":5,\"events\":{\"high\":1,\"max\":2,\"oom_kill\":1}},"
            + "\"pressure\":{\"cpu\":{\"some_avg10\":1.5},\"memory\":{\"some_avg10\":0.25},\"io\":{\"some_avg10\":0.125}},"
            + "\"process_count\":31,\"rates\":{\"net_rx_bytes_per_s\":1000,\"net_tx_bytes_per_s\":2000,"
            + "\"disk_read_bytes_per_s\":3000,\"disk_write_bytes_per_s\":4000},"
            + "\"allocation\":{\"hostname\":\"web\",\"cores\":2},\"disk\":{\"used_mb\":999}},\"summary\":{\"host_cpus\":8}}";

    @Test
    void aMonitorLineReadAsRowsGivesEverySignal() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, MONITOR_LINE + "\n");
        HistoryStore store = new HistoryStore(10, 300, 10, ZoneId.of("UTC"));
        int[] added = {0};
        SampleRowDecoder decoder = store.decoder(() -> added[0]++);
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(reader.poll(decoder)).isEqualTo(1);
        }
        assertThat(added[0]).isEqualTo(1);
        ContainerHistory h = store.get("101");
        assertThat(h.hostname()).isEqualTo("web");
        // 2026-08-18 is day 20683: 20683 × 86400 + 10 h
        assertThat(h.epochSecond(0)).isEqualTo(1787011200L + 36000);
        assertThat(h.value(Signal.CPU_PERCENT, 0)).isEqualTo(25.5);
        assertThat(h.value(Signal.CPU_CORES, 0)).isEqualTo((float) 0.51);
        assertThat(h.value(Signal.MEMORY_MB, 0)).isEqualTo(320.0); // used + shmem
        assertThat(h.value(Signal.SWAP_MB, 0)).isEqualTo(5.0);
        assertThat(h.value(Signal.PROCESSES, 0)).isEqualTo(31.0);
        assertThat(h.value(Signal.THROTTLED_FRACTION, 0)).isEqualTo(0.25);
        assertThat(h.value(Signal.PSI_CPU_SOME, 0)).isEqualTo(1.5);
        assertThat(h.value(Signal.PSI_MEMORY_SOME, 0)).isEqualTo(0.25);
        assertThat(h.value(Signal.PSI_IO_SOME, 0)).isEqualTo(0.125);
        assertThat(h.value(Signal.MEMORY_EVENTS, 0)).isEqualTo(3.0);
        assertThat(h.value(Signal.OOM_KILLS, 0)).isEqualTo(1.0);
        assertThat(h.value(Signal.NET_RX_BYTES_PER_S, 0)).isEqualTo(1000.0);
        assertThat(h.value(Signal.NET_TX_BYTES_PER_S, 0)).isEqualTo(2000.0);
        assertThat(h.value(Signal.DISK_READ_BYTES_PER_S, 0)).isEqualTo(3000.0);
        assertThat(h.value(Signal.DISK_WRITE_BYTES_PER_S, 0)).isEqualTo(4000.0);
        assertThat(h.pendingOomKills()).isEqualTo(1);

        // the same sample handed over as a tree lands in the same row
        HistoryStore fromTree = new HistoryStore(10, 300, 10, ZoneId.of("UTC"));
        assertThat(fromTree.add(Snapshot.fromJson(Json.mapper().readTree(MONITOR_LINE)))).isEqualTo(1);
        for (Signal s : Signal.values()) {
            assertThat(fromTree.get("101").value(s, 0)).as(s.name()).isEqualTo(h.value(s, 0));
        }
    }

    @Test
    void theOriginalsNaiveTimestampsAreLocalTimeOfTheHostZone() throws Exception {
        Path file = dir.resolve("m.json");
        // the original's array file, written by datetime.now().isoformat() on a host in Berlin (CEST, +02:00)
        Files.writeString(file, "[{\"101\": {\"timestamp\": \"2026-08-18T12:00:00.250000\", \"cpu_usage_percent\": 10.0,"
                + " \"memory_usage_mb\": 100.0}}, {\"101\": {\"timestamp\": \"2026-08-18T12:00:10.250000\","
                + " \"cpu_usage_percent\": 20.0, \"memory_usage_mb\": 100.0}}]", StandardCharsets.UTF_8);
        HistoryStore store = new HistoryStore(10, 300, 10, ZoneId.of("Europe/Berlin"));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(reader.poll(store.decoder(() -> { }))).isEqualTo(2);
        }
        ContainerHistory h = store.get("101");
        // 12:00 CEST = 10:00 UTC = 20683 × 86400 + 36000
        assertThat(h.epochSecond(0)).isEqualTo(1787047200L);
        assertThat(h.epochSecond(1)).isEqualTo(1787047210L);
        assertThat(h.value(Signal.NET_RX_BYTES_PER_S, 1)).isNaN(); // no counters in these samples
    }
}
