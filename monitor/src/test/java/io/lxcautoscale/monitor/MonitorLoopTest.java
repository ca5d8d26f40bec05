package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.ExportSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorLoopTest {
    @TempDir
    Path dir;

    @Test
    void writesFromTheFirstCycleOnAndStopsCleanlyOnStop() throws Exception {
        HostTree tree = new HostTree(dir.resolve("host"), true);
        tree.add(101, "cores: 1\n");
        Path metrics = dir.resolve("lxc_metrics.json");
        MonitorLoop loop = new MonitorLoop(new Collector(HostTrees.settings(tree), Clock.systemUTC()),
                new ExportSink(metrics, 1 << 20, 7, Duration.ofDays(7)), Duration.ofMillis(100), false);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> result = thread.submit(loop::run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lineCount(metrics) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            loop.stop();
            assertThat(result.get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            thread.shutdownNow();
        }
        List<String> lines = Files.readAllLines(metrics);
        assertThat(lines.size()).isGreaterThanOrEqualTo(3);
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertThat(first.has("101")).as("the first cycle is written (the original skipped it)").isTrue();
        assertThat(first.at("/101/cpu_usage_percent").isMissingNode()).as("no rate yet").isTrue();
        Instant previousEnd = Instant.MIN;
        for (String line : lines) {
            JsonNode summary = Json.mapper().readTree(line).get("summary");
            Instant start = MetricTime.parse(summary.get("collection_start_time").asText());
            assertThat(start).as("cycles never overlap").isAfterOrEqualTo(previousEnd);
            previousEnd = MetricTime.parse(summary.get("collection_end_time").asText());
        }
        assertThat(Json.mapper().readTree(lines.get(1)).at("/101/cpu_usage_percent").isNumber()).isTrue();
    }

    @Test
    void onceStoppedDuringTheWaitWritesNothingAndExitsZero() throws Exception {
        HostTree tree = new HostTree(dir.resolve("host"), true);
        Path metrics = dir.resolve("lxc_metrics.json");
        MonitorLoop loop = new MonitorLoop(new Collector(HostTrees.settings(tree), Clock.systemUTC()),
                new ExportSink(metrics, 1 << 20, 7, Duration.ofDays(7)), Duration.ofHours(1), true);
        loop.stop();
        assertThat(loop.run()).isZero();
        assertThat(metrics).doesNotExist();
    }

    private static long lineCount(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }
}
