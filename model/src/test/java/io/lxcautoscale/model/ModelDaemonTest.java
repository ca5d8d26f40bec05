package io.lxcautoscale.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.common.metrics.Snapshot;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.journal.SuggestionJournal;
import io.lxcautoscale.model.testing.FakeApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole cycle on real metrics files, a real HTTP API and a real journal. */
class ModelDaemonTest {
    private static final Instant T0 = Instant.parse("2026-08-18T10:00:00Z");
    private static final String CONTAINERS = "["
            + "{\"vmid\":101,\"status\":\"running\",\"name\":\"web1\",\"cores\":2,\"memory_mb\":2048,\"lock\":null,\"tags\":[\"prod\"],\"template\":false},"
            + "{\"vmid\":102,\"status\":\"running\",\"name\":\"idle\",\"cores\":4,\"memory_mb\":4096,\"lock\":null,\"tags\":[],\"template\":false},"
            + "{\"vmid\":104,\"status\":\"running\",\"name\":\"pet\",\"cores\":1,\"memory_mb\":512,\"lock\":null,\"tags\":[\"autoscale-off\"],\"template\":false}]";
    /** {@link #CONTAINERS} and 105, hot on CPU and memory alike: it gets a core and more memory in one decision. */
    private static final String CONTAINERS_WITH_FULL = CONTAINERS.substring(0, CONTAINERS.length() - 1)
            + ",{\"vmid\":105,\"status\":\"running\",\"name\":\"full\",\"cores\":2,\"memory_mb\":512,\"lock\":null,\"tags\":[],\"template\":false}]";

    @TempDir
    Path dir;
    private final FakeApi api = new FakeApi();

    ModelDaemonTest() throws Exception {
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A sample in the monitor's format; timestamps differ per container, as in real files. */
    private static ObjectNode sample(String vmid, Instant t, double usedCores, double cores, double memoryMb, double allocMb) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("timestamp", MetricTime.format(t.plusSeconds(Integer.parseInt(vmid) % 10)));
        s.put("cpu_usage_percent", usedCores / cores * 100);
        s.put("memory_usage_mb", memoryMb);
        s.put("swap_usage_mb", 0.0);
        s.put("process_count", 20);
        s.put("interval_seconds", 10.0);
        ObjectNode alloc = s.putObject("allocation");
        alloc.put("cores", cores);
        alloc.put("memory_mb", allocMb);
        alloc.put("hostname", "ct" + vmid);
        ObjectNode cpu = s.putObject("cpu");
        cpu.put("used_cores", usedCores);
        cpu.put("nr_periods", 100);
        cpu.put("nr_throttled", 0);
        ObjectNode rates = s.putObject("rates");
        rates.put("net_rx_bytes_per_s", 1000.0);
        rates.put("net_tx_bytes_per_s", 500.0);
        return s;
    }

    private void writeMetrics(Path file, int fromRow, int rows) throws Exception {
        writeMetrics(file, fromRow, rows, false);
    }

    /** @param withFull also container 105: 1.9 of 2 cores and 480 of 512 MiB used */
    private void writeMetrics(Path file, int fromRow, int rows, boolean withFull) throws Exception {
        try (MetricsWriter writer = new MetricsWriter(file, 1L << 30, 2, null)) {
            for (int i = fromRow; i < fromRow + rows; i++) {
                Instant t = T0.plusSeconds(10L * i);
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", sample("101", t, 1.9, 2, 600, 2048));
                cts.put("102", sample("102", t, 0.1, 4, 300, 4096));
                cts.put("103", sample("103", t, 0.5, 2, 500, 1024));
                cts.put("104", sample("104", t, 0.99, 1, 500, 512));
                if (withFull) {
                    cts.put("105", sample("105", t, 1.9, 2, 480, 512));
                }
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 4)));
            }
        }
    }

    private ModelConfig config(Path data, String extra) {
        String yaml = "data_file: " + data + "\nsuggestions_file: " + dir.resolve("suggestions.json") + "\nlock_file: " + dir.resolve("lock")
                + "\nlog_file: ''\napi: {api_url: '" + api.url() + "', api_key: test-key}\nretry_logic: {retry_delay: 0}\n" + extra;
        return ConfigLoader.parse("test.yaml", yaml, ModelConfig::bind).config();
    }

    private ModelDaemon daemon(ModelConfig c, Clock clock) {
        ApiClient client = new ApiClient(c.api().apiUrl(), c.api().coresEndpoint(), c.api().ramEndpoint(), c.api().configsEndpoint(),
                c.api().nodeEndpoint(), Duration.ofSeconds(5), c.api().apiKey(), c.maxRetries(), Duration.ZERO, d -> { });
        return new ModelDaemon(c, client, new SuggestionJournal(c.suggestionsFile(), 1 << 20, 2), clock, true);
    }

    private List<JsonNode> journal() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("suggestions.json"), StandardCharsets.UTF_8)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    private static Map<String, JsonNode> byContainer(List<JsonNode> entries) {
        return entries.stream().collect(Collectors.toMap(e -> e.path("container_id").asText(), e -> e, (a, b) -> b, LinkedHashMap::new));
    }

    @Test
    void decidesForEveryContainerAppliesAndJournals() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 200);
        api.containers(CONTAINERS);
        Clock clock = Clock.fixed(T0.plusSeconds(2000), ZoneOffset.UTC);
        ModelDaemon d = daemon(config(metrics, ""), clock);

        ModelDaemon.CycleReport r = d.runCycle();

        assertThat(r.snapshotsRead()).isEqualTo(200);
        assertThat(r.retrained()).isTrue();
        Map<String, JsonNode> j = byContainer(journal());
        assertThat(j.keySet()).containsExactlyInAnyOrder("101", "102", "103", "104");   // every container, not one (bug 4)
        assertThat(j.get("101").path("cpu_action").asText()).isEqualTo("increase");
        assertThat(j.get("101").path("cores_after").asInt()).isEqualTo(3);
        assertThat(j.get("101").path("outcome").asText()).isEqualTo("applied");
        assertThat(j.get("101").path("anomaly_score").isNumber()).isTrue();
        assertThat(j.get("102").path("cpu_action").asText()).isEqualTo("decrease");
        // 300 MiB used, but 2000 s of history: memory is not lowered before the history covers a day
        assertThat(j.get("102").path("memory_mb_after").asInt()).isEqualTo(4096);
        assertThat(j.get("103").path("outcome").asText()).isEqualTo("skipped");
        assertThat(j.get("103").path("reason").asText()).contains("allocation unknown");
        assertThat(j.get("104").path("reason").asText()).contains("autoscale-off");
        assertThat(api.requests("/scale/cores")).extracting(FakeApi.Request::body)
                .containsExactlyInAnyOrder("{\"vm_id\":101,\"cores\":3}", "{\"vm_id\":102,\"cores\":1}");   // 0.4 cores used of 4
        assertThat(api.requests()).extracting(FakeApi.Request::apiKey).containsOnly("test-key");

        // the next cycle reads only the new lines, and the cooldown holds a second scale-up
        writeMetrics(metrics, 200, 6);
        ModelDaemon.CycleReport next = d.runCycle();
        assertThat(next.snapshotsRead()).isEqualTo(6);
        assertThat(next.retrained()).isFalse();
        JsonNode again = byContainer(journal()).get("101");
        assertThat(again.path("outcome").asText()).isEqualTo("no-change");
        assertThat(again.path("reason").asText()).contains("cooldown");
        assertThat(api.requests("/scale/cores")).hasSize(2);
    }

    @Test
    void aFailedCallIsJournaledAsFailedAndMemoryIsNotHalfApplied() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 100, true);
        api.containers(CONTAINERS_WITH_FULL);
        api.script("/scale/cores", 500, 500, 500, 500, 500, 500, 500, 500, 500);
        ModelDaemon d = daemon(config(metrics, ""), Clock.fixed(T0.plusSeconds(1000), ZoneOffset.UTC));
        ModelDaemon.CycleReport r = d.runCycle();
        Map<String, JsonNode> j = byContainer(journal());
        assertThat(r.failed()).isEqualTo(3);
        assertThat(r.applied()).isZero();
        assertThat(j.get("102").path("outcome").asText()).isEqualTo("failed");
        assertThat(j.get("102").path("error").asText()).contains("HTTP 500");
        // 105 was to get both: cores 2 → 3 (1.9 × 1.10 = 2.09) and memory 512 → 576 MiB (480 × 1.10 = 528 → 9 × 64),
        // so a memory call after the failed cores call would show here
        assertThat(j.get("105").path("cpu_action").asText()).isEqualTo("increase");
        assertThat(j.get("105").path("ram_action").asText()).isEqualTo("increase");
        assertThat(j.get("105").path("memory_mb_after").asInt()).isEqualTo(576);
        assertThat(j.get("105").path("outcome").asText()).isEqualTo("failed");
        assertThat(api.requests("/scale/cores")).extracting(FakeApi.Request::body).contains("{\"vm_id\":105,\"cores\":3}");
        assertThat(api.requests("/scale/ram")).isEmpty();
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 100);
        api.containers(CONTAINERS);
        ModelDaemon d = daemon(config(metrics, "scaling: {dry_run: true}"), Clock.fixed(T0.plusSeconds(1000), ZoneOffset.UTC));
        d.runCycle();
        assertThat(byContainer(journal()).get("101").path("outcome").asText()).isEqualTo("dry-run");
        assertThat(api.requests().stream().filter(r -> r.method().equals("POST"))).isEmpty();
    }

    @Test
    void staleContainersAreSkippedOneByOne() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 100);
        api.containers(CONTAINERS);
        // an hour after the last sample: stale (3 × 60 s), yet within forget_after_seconds (3600 + margin)
        ModelDaemon d = daemon(config(metrics, "history: {forget_after_seconds: 7200}"), Clock.fixed(T0.plusSeconds(1000 + 3600), ZoneOffset.UTC));
        d.runCycle();
        assertThat(journal()).allSatisfy(e -> assertThat(e.path("outcome").asText()).isEqualTo("skipped"));
        assertThat(byContainer(journal()).get("101").path("reason").asText()).contains("stale");
    }

    @Test
    void readsTheOriginalsLegacyJsonArray() throws Exception {
        Path legacy = dir.resolve("legacy_metrics.json");
        ArrayNode array = Json.mapper().createArrayNode();
        for (int i = 0; i < 60; i++) {
            ObjectNode snap = array.addObject();
            ObjectNode s = snap.putObject("101");
            s.put("timestamp", T0.plusSeconds(10L * i).toString().replace("Z", "+00:00"));
            s.put("cpu_usage_percent", 95.0);
            s.put("memory_usage_mb", 600.0);
            s.put("swap_usage_mb", 0.0);
            s.put("swap_total_mb", 512.0);
            s.put("process_count", 30);
            s.putObject("io_stats").put("reads", 1000 + i * 10).put("writes", 2000 + i * 20);
            s.putObject("network_usage").put("rx_bytes", 100_000L + i * 1000L).put("tx_bytes", 50_000L + i * 500L);
            s.put("filesystem_usage_gb", 2.0);
            snap.putObject("summary").put("total_containers", 1);
        }
        Files.writeString(legacy, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
        api.containers(CONTAINERS);
        ModelDaemon d = daemon(config(legacy, ""), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        ModelDaemon.CycleReport r = d.runCycle();
        assertThat(r.snapshotsRead()).isEqualTo(60);
        JsonNode e = byContainer(journal()).get("101");
        assertThat(e.path("cpu_action").asText()).isEqualTo("increase");
        assertThat(e.path("outcome").asText()).isEqualTo("applied");
    }

    @Test
    void apiDownMeansNoDecisionsAndAFailedOnceRun() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 50);
        api.script("/resource/lxc/configs", 503, 503, 503);
        ModelDaemon d = daemon(config(metrics, ""), Clock.fixed(T0.plusSeconds(500), ZoneOffset.UTC));
        assertThat(d.run()).isEqualTo(1);
        assertThat(api.requests().stream().filter(r -> r.method().equals("POST"))).isEmpty();
    }

    @Test
    void aRestartedDaemonKeepsTheCooldownsOfTheJournal() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 200);
        api.containers(CONTAINERS);
        ModelConfig c = config(metrics, "");
        daemon(c, Clock.fixed(T0.plusSeconds(2000), ZoneOffset.UTC)).runCycle();
        assertThat(api.requests("/scale/cores")).hasSize(2);
        writeMetrics(metrics, 200, 6);
        // a new process one minute later: 101 is still hot, but its up-cooldown comes from the journal
        daemon(c, Clock.fixed(T0.plusSeconds(2060), ZoneOffset.UTC)).runCycle();
        assertThat(api.requests("/scale/cores")).hasSize(2);
        assertThat(byContainer(journal()).get("101").path("reason").asText()).contains("cooldown");
    }
}
