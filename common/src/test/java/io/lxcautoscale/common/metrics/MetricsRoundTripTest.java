package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsRoundTripTest {
    @TempDir
    Path dir;

    static ObjectNode snapshot(int seq) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode sample = root.putObject("104");
        sample.put("timestamp", "2026-08-18T13:07:56.123456+00:00");
        sample.put("cpu_usage_percent", 42.7);
        sample.put("seq", seq);
        root.putObject("summary").put("collected_containers", 1).put("seq", seq);
        return root;
    }

    @Test
    void writtenSnapshotsAreReadBackInOrder() throws Exception {
        Path file = dir.resolve("lxc_metrics.json");
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 3, Duration.ofDays(7));
             MetricsReader reader = new MetricsReader(file)) {
            for (int i = 0; i < 5; i++) {
                writer.append(snapshot(i));
            }
            List<Snapshot> read = new ArrayList<>();
            assertThat(reader.poll(read::add)).isEqualTo(5);
            assertThat(read).extracting(s -> s.summary().get("seq").asInt()).containsExactly(0, 1, 2, 3, 4);
            assertThat(read.get(0).containers()).containsOnlyKeys("104");
            assertThat(read.get(0).toJson()).isEqualTo(snapshot(0));
            assertThat(reader.poll(read::add)).isZero();
            assertThat(reader.corruptLines()).isZero();
        }
    }
}
