package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.ExportSink;
import io.lxcautoscale.monitor.output.SnapshotLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
        assertThat(Json.mapper().readTree(lines.get(1)).at("/101/cpu_usage_percent").isNumber()).isTrue();
    }

    /**
     * Cycles start at a fixed rate; one that overruns skips the starts it missed instead of running the
     * next cycles back to back to catch up. Time is the test's own: a cycle "takes" what the collector
     * adds to the clock, a wait advances the clock by what the loop asked for.
     */
    @Test
    void aSlowCycleSkipsTheStartsItMissed() throws Exception {
        long s = 1_000_000_000L;
        long[] now = {500 * s};   // any origin: the loop reads only differences
        long[] cycleTakes = {0, 25 * s, 0, 0, 0};   // the 2nd cycle takes 2.5 intervals of 10 s
        List<Long> starts = new ArrayList<>();
        MonitorLoop[] loop = new MonitorLoop[1];
        Supplier<SnapshotLine> slowCollector = () -> {
            starts.add((now[0] - 500 * s) / s);
            now[0] += cycleTakes[starts.size() - 1];
            ObjectNode snapshot = Json.mapper().createObjectNode();
            snapshot.putObject("summary").put("collected_containers", 0).put("total_containers", 0).put("total_duration_seconds", 0);
            return SnapshotLine.of(snapshot);
        };
        MonitorLoop.Wait fakeWait = (stop, nanos) -> {
            assertThat(nanos).as("a wait is never negative: the loop skipped past the missed starts").isPositive();
            now[0] += nanos;
            if (starts.size() == cycleTakes.length) {
                loop[0].stop();
            }
            return stop.getCount() == 0;
        };
        loop[0] = new MonitorLoop(slowCollector, new ExportSink(dir.resolve("m.json"), 1 << 20, 7, Duration.ofDays(7)),
                Duration.ofSeconds(10), false, () -> now[0], fakeWait);

        assertThat(loop[0].run()).isZero();

        // 0 → 10; the cycle at 10 ends at 35, past the starts at 20 and 30: the next start is 40, then 50, 60
        assertThat(starts).containsExactly(0L, 10L, 40L, 50L, 60L);
        assertThat(Files.readAllLines(dir.resolve("m.json"))).hasSize(5);
    }

    /** An exception escaping a cycle (outside the collector's per-container handling) costs that cycle only. */
    @Test
    void aCycleThatThrowsIsLoggedAndTheNextCyclesRun() throws Exception {
        long s = 1_000_000_000L;
        long[] now = {0};
        List<Long> starts = new ArrayList<>();
        MonitorLoop[] loop = new MonitorLoop[1];
        Supplier<SnapshotLine> collector = () -> {
            starts.add(now[0] / s);
            if (starts.size() == 2 || starts.size() == 3) {
                throw new IllegalStateException("unexpected state in cycle " + starts.size());
            }
            ObjectNode snapshot = Json.mapper().createObjectNode();
            snapshot.putObject("summary").put("cycle", starts.size());
            return SnapshotLine.of(snapshot);
        };
        MonitorLoop.Wait fakeWait = (stop, nanos) -> {
            now[0] += nanos;
            if (starts.size() == 5) {
                loop[0].stop();
            }
            return stop.getCount() == 0;
        };
        Path metrics = dir.resolve("m.json");
        loop[0] = new MonitorLoop(collector, new ExportSink(metrics, 1 << 20, 7, Duration.ofDays(7)),
                Duration.ofSeconds(10), false, () -> now[0], fakeWait);

        assertThat(loop[0].run()).as("the daemon does not end").isZero();

        assertThat(starts).as("every cycle started on time, failed or not").containsExactly(0L, 10L, 20L, 30L, 40L);
        List<Integer> written = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            written.add(Json.mapper().readTree(line).at("/summary/cycle").asInt());
        }
        assertThat(written).as("the snapshots of the cycles that did not fail").containsExactly(1, 4, 5);
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
