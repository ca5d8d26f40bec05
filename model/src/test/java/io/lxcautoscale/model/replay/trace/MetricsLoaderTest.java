package io.lxcautoscale.model.replay.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsLoaderTest {
    private static final Instant T0 = Instant.parse("2026-08-18T13:00:00Z");

    @Test
    void jsonLinesFileGivesOneTracePerContainerWithTheFirstSamplesAllocation(@TempDir Path dir) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            ObjectNode snap = Json.mapper().createObjectNode();
            ObjectNode s = snap.putObject("101");
            s.put("timestamp", MetricTime.format(T0.plusSeconds(60L * i)));
            if (i > 0) { // the first sample after a start has no rate: absent, never 0
                s.putObject("cpu").put("used_cores", 0.25 + i % 2);
            }
            s.putObject("memory").put("used_mb", 300.0 + i);
            ObjectNode a = s.putObject("allocation");
            a.put("cores", i < 10 ? 2 : 4); // later changes do not move the provisioned size
            a.put("memory_mb", 1024);
            snap.putObject("summary").put("host_cpus", 8);
            lines.append(Json.mapper().writeValueAsString(snap)).append('\n');
        }
        Path file = dir.resolve("lxc_metrics.json");
        Files.writeString(file, lines);
        SkipReport skips = new SkipReport();

        List<Trace> traces = MetricsLoader.load(file, 0, 0, skips);

        assertThat(traces).hasSize(1);
        Trace t = traces.get(0);
        assertThat(t.name()).isEqualTo("101");
        assertThat(t.stepSeconds()).isEqualTo(60);
        assertThat(t.steps()).isEqualTo(299);
        assertThat(t.provisionedCores()).isEqualTo(2);
        assertThat(t.provisionedMemoryMb()).isEqualTo(1024);
        assertThat(t.cpuDemandCores()[0]).isEqualTo(1.25);
        assertThat(t.memoryDemandMb()[0]).isEqualTo(301.0);
        assertThat(skips.rowReasons()).containsEntry("no CPU or memory value", 1L);
    }

    @Test
    void legacyArrayWithoutAllocationNeedsTheFallbackSize(@TempDir Path dir) throws IOException {
        ArrayNode array = Json.mapper().createArrayNode();
        for (int i = 0; i < 290; i++) {
            ObjectNode s = array.addObject().putObject("104");
            s.put("timestamp", T0.plusSeconds(300L * i).toString().replace("Z", ""));
            s.put("cpu_usage_percent", 50.0);
            s.put("memory_usage_mb", 100.0);
        }
        Path file = dir.resolve("legacy.json");
        Files.writeString(file, Json.mapper().writeValueAsString(array));

        SkipReport without = new SkipReport();
        assertThat(MetricsLoader.load(file, 0, 0, without)).isEmpty();
        assertThat(without.traceReasons()).containsKey("no allocation recorded (give --cores and --memory-mb)");

        List<Trace> with = MetricsLoader.load(file, 2, 2048, new SkipReport());
        assertThat(with).hasSize(1);
        assertThat(with.get(0).cpuDemandCores()[5]).isEqualTo(1.0); // 50 % of 2 cores
        assertThat(with.get(0).provisionedMemoryMb()).isEqualTo(2048);
        assertThat(with.get(0).stepSeconds()).isEqualTo(300);
    }
}
