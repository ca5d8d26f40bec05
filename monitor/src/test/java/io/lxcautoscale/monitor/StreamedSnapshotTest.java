package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.SnapshotLine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot line the collector streams is what {@code Json.mapper()} writes for the same content (compact, one
 * line), with no empty object but {@code summary.skipped}, and its summary figures match the line.
 */
class StreamedSnapshotTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "cgroup v{0}")
    @ValueSource(ints = {1, 2})
    void theStreamedLineIsTheMappersCompactTextWithoutEmptyObjects(int version) throws Exception {
        HostTree tree = new HostTree(dir, version == 2);
        HostTree.Ct a = tree.add(101, "cores: 2\ncpulimit: 1.5\nmemory: 2048\nswap: 512\ntags: prod;web\nlock: backup\nhostname: web\"1\n");
        HostTree.Ct b = tree.add(102, "memory: 1024\n");
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        Collector c = new Collector(HostTrees.settings(tree), Clock.systemUTC(), nanos::get);
        for (int cycle = 0; cycle < 3; cycle++) {
            nanos.addAndGet(10_000_000_000L);
            a.usageUsec += 2_000_000;
            a.nrPeriods += 100;
            a.nrThrottled += 7;
            b.usageUsec += cycle == 1 ? -1_000_000 : 1_000_000;   // a restart of 102 in the 2nd cycle
            tree.write(a);
            tree.write(b);
            SnapshotLine line = c.collectLine();
            byte[] bytes = Arrays.copyOf(line.bytes(), line.length());
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\n");
            ObjectNode tree1 = (ObjectNode) Json.mapper().readTree(bytes);
            assertThat(Json.mapper().writeValueAsString(tree1)).isEqualTo(text);
            assertThat(emptyObjects(tree1, "")).containsExactly("/summary/skipped");
            assertThat(line.collectedContainers()).isEqualTo(2).isEqualTo(tree1.at("/summary/collected_containers").asInt());
            assertThat(line.totalContainers()).isEqualTo(2);
            assertThat(line.durationSeconds()).isEqualTo(tree1.at("/summary/total_duration_seconds").asDouble());
            List<String> keys = new ArrayList<>();
            tree1.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("101", "102", "summary");
            if (cycle == 2) {
                assertThat(tree1.at("/101/cpu/throttled_share").asDouble()).isEqualTo(0.07);
                assertThat(tree1.at("/101/allocation/hostname").asText()).isEqualTo("web\"1");
                assertThat(tree1.at("/102/rates").isObject()).isTrue();
            }
            if (cycle == 1) {
                assertThat(tree1.at("/102/rates").isMissingNode()).as("restart: no rates").isTrue();
            }
        }
    }

    private static List<String> emptyObjects(JsonNode node, String path) {
        List<String> empty = new ArrayList<>();
        if (node.isObject()) {
            if (node.isEmpty()) {
                empty.add(path);
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                empty.addAll(emptyObjects(e.getValue(), path + "/" + e.getKey()));
            }
        }
        return empty;
    }
}
