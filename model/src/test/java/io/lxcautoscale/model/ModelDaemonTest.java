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
    /** These tests run minutes of history; the CPU warm-up (an hour) has its own test. */
    private static final String NO_CPU_WARMUP = "scaling: {cpu_warmup_hours: 0}";
    private static final String CONTAINERS = "["
            + "{\"vmid\":101,\"status\":\"running\",\"name\":\"web1\",\"cores\":2,\"memory_mb\":2048,\"lock\":null,\"tags\":[\"prod\"],\"template\":false},"
            + "{\"vmid\":102,\"status\":\"running\",\"name\":\"idle\",\"cores\":4,\"memory_mb\":4096,\"lock\":null,\"tags\":[],\"template\":false},"
            + "{\"vmid\":104,\"status\":\"running\",\"name\":\"pet\",\"cores\":1,\"memory_mb\":512,\"lock\":null,\"tags\":[\"autoscale-off\"],\"template\":false}]";

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
        try (MetricsWriter writer = new MetricsWriter(file, 1L << 30, 2, null)) {
            for (int i = fromRow; i < fromRow + rows; i++) {
                Instant t = T0.plusSeconds(10L * i);
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", sample("101", t, 1.9, 2, 600, 2048));
                cts.put("102", sample("102", t, 0.1, 4, 300, 4096));
                cts.put("103", sample("103", t, 0.5, 2, 500, 1024));
                cts.put("104", sample("104", t, 0.99, 1, 500, 512));
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
        return daemon(c, clock, 1 << 20);
    }

    private ModelDaemon daemon(ModelConfig c, Clock clock, long journalBytes) {
        ApiClient client = new ApiClient(c.api().apiUrl(), c.api().coresEndpoint(), c.api().ramEndpoint(), c.api().configsEndpoint(),
                c.api().nodeEndpoint(), Duration.ofSeconds(5), Duration.ofSeconds((long) c.api().scaleTimeoutSeconds()), c.api().apiKey(), c.maxRetries(), Duration.ZERO, d -> { });
        return new ModelDaemon(c, client, new SuggestionJournal(c.suggestionsFile(), journalBytes, 20), clock, true);
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
        ModelDaemon d = daemon(config(metrics, NO_CPU_WARMUP), clock);

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
    void aFailedCallIsJournaledAsFailed() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 100);
        api.containers(CONTAINERS);
        api.script("/scale/cores", 500, 500, 500, 500, 500, 500);
        ModelDaemon d = daemon(config(metrics, NO_CPU_WARMUP), Clock.fixed(T0.plusSeconds(1000), ZoneOffset.UTC));
        ModelDaemon.CycleReport r = d.runCycle();
        Map<String, JsonNode> j = byContainer(journal());
        assertThat(r.failed()).isEqualTo(2);
        assertThat(r.applied()).isZero();
        assertThat(j.get("102").path("outcome").asText()).isEqualTo("failed");
        assertThat(j.get("102").path("error").asText()).contains("HTTP 500");
        // a memory increase beside a failing cores change: aFailingCoresChangeDoesNotStopAMemoryIncreaseNorOpenMemorysBreaker
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
        ModelConfig c = config(metrics, NO_CPU_WARMUP);
        daemon(c, Clock.fixed(T0.plusSeconds(2000), ZoneOffset.UTC)).runCycle();
        assertThat(api.requests("/scale/cores")).hasSize(2);
        writeMetrics(metrics, 200, 6);
        // a new process one minute later: 101 is still hot, but its up-cooldown comes from the journal
        daemon(c, Clock.fixed(T0.plusSeconds(2060), ZoneOffset.UTC)).runCycle();
        assertThat(api.requests("/scale/cores")).hasSize(2);
        assertThat(byContainer(journal()).get("101").path("reason").asText()).contains("cooldown");
    }

    /** Container 101 alone: hot CPU, memory at {@code usedMb} of 2048 MiB, and {@code oomAtRow} (or -1) carrying one oom_kill. */
    private void writeOne(Path file, int fromRow, int rows, double usedMb, int oomAtRow) throws Exception {
        try (MetricsWriter writer = new MetricsWriter(file, 1L << 30, 2, null)) {
            for (int i = fromRow; i < fromRow + rows; i++) {
                ObjectNode s = sample("101", T0.plusSeconds(10L * i), 1.9, 2, usedMb, 2048);
                if (i == oomAtRow) {
                    s.putObject("memory").putObject("events").put("oom_kill", 1);
                }
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", s);
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 1)));
            }
        }
    }

    private static final String ONLY_101 = "[{\"vmid\":101,\"status\":\"running\",\"name\":\"web1\",\"cores\":2,"
            + "\"memory_mb\":2048,\"lock\":null,\"tags\":[],\"template\":false}]";

    private static String node(long memoryMb) {
        return "{\"cpuinfo\":{\"cpus\":8},\"memory\":{\"total\":" + memoryMb * 1024 * 1024 + "}}";
    }

    @Test
    void aFailingCoresChangeDoesNotStopAMemoryIncreaseNorOpenMemorysBreaker() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101);
        api.node(node(65536));
        ModelConfig c = config(metrics, "scaling: {up_cooldown_seconds: 0}\ncircuit_breaker: {failure_threshold: 1, timeout_seconds: 3600}");
        Integer[] fiveHundreds = new Integer[30];
        java.util.Arrays.fill(fiveHundreds, 500);
        api.script("/scale/cores", fiveHundreds);
        writeOne(metrics, 0, 60, 1900, -1);                  // 1.9 of 2 cores, 1900 of 2048 MiB: both hot
        ModelDaemon d = daemon(c, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        d.runCycle();
        JsonNode e = byContainer(journal()).get("101");
        assertThat(e.path("outcome").asText()).isEqualTo("failed");
        assertThat(e.path("cpu_outcome").asText()).isEqualTo("failed");
        assertThat(e.path("ram_outcome").asText()).isEqualTo("applied");
        assertThat(api.requests("/scale/ram")).hasSize(1);
        // the memory POST went first: an OOM's answer never waits behind cores
        assertThat(api.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow().path()).isEqualTo("/scale/ram");

        // the cores breaker is open now (threshold 1); memory grows again and is not refused by it
        writeOne(metrics, 60, 6, 2300, -1);
        api.containers(ONLY_101.replace("2048", "2240"));
        d.runCycle();
        JsonNode next = byContainer(journal()).get("101");
        assertThat(next.path("error").asText()).contains("cpu: circuit breaker open");
        assertThat(next.path("ram_outcome").asText()).isEqualTo("applied");
        assertThat(api.requests("/scale/ram")).hasSize(2);
        assertThat(api.requests("/scale/cores")).hasSize(3);   // 3 attempts in cycle 1, none in cycle 2
    }

    @Test
    void aRefusedMemoryDecreaseNeverBlocksTheIncreaseAnOomKillNeeds() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101);
        api.node(node(65536));
        ModelConfig c = config(metrics, "scaling: {memory_warmup_hours: 0}\ncircuit_breaker: {failure_threshold: 1, timeout_seconds: 3600}");
        api.script("/scale/ram", 409);                         // the API's live floor refuses the decrease
        writeOne(metrics, 0, 60, 300, -1);                     // 300 of 2048 MiB: the model lowers memory
        ModelDaemon d = daemon(c, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        d.runCycle();
        JsonNode down = byContainer(journal()).get("101");
        assertThat(down.path("ram_action").asText()).isEqualTo("decrease");
        assertThat(down.path("ram_outcome").asText()).isEqualTo("failed");   // and, at threshold 1, its breaker is open

        writeOne(metrics, 60, 6, 300, 62);                     // an OOM kill: memory must go up, whatever the decrease did
        d.runCycle();
        JsonNode up = byContainer(journal()).get("101");
        assertThat(up.path("ram_action").asText()).isEqualTo("increase");
        assertThat(up.path("ram_outcome").asText()).as(up.toString()).isEqualTo("applied");
        assertThat(api.requests("/scale/ram")).hasSize(2);
    }

    @Test
    void anOomDuringAnApiOutageAndACappedCycleStillRaisesMemoryOnceTheApiIsBack() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101);
        ModelConfig c = config(metrics, "");
        writeOne(metrics, 0, 60, 1000, 55);                    // memory is not hot: only the OOM asks for more
        ModelDaemon d = daemon(c, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));

        api.script("/resource/lxc/configs", 503, 503, 503);    // outage: no decision at all
        d.runCycle();
        assertThat(journal()).allSatisfy(e -> assertThat(e.path("outcome").asText()).isEqualTo("failed"));

        api.node(node(4096));                                  // back, but 4096 − 2048 reserve leaves no room: capped
        writeOne(metrics, 60, 6, 1000, -1);
        d.runCycle();
        JsonNode capped = byContainer(journal()).get("101");
        assertThat(capped.path("reason").asText()).contains("oom_kill").contains("node capacity");
        assertThat(capped.path("memory_mb_after").asInt()).isEqualTo(2048);
        assertThat(api.requests("/scale/ram")).isEmpty();

        api.node(node(65536));                                 // room again: the pending OOM still asks for memory
        writeOne(metrics, 66, 6, 1000, -1);
        d.runCycle();
        JsonNode raised = byContainer(journal()).get("101");
        assertThat(raised.path("ram_action").asText()).isEqualTo("increase");
        assertThat(raised.path("ram_outcome").asText()).isEqualTo("applied");
        // VPA's OOM bump from the 2048 MiB allocation: max(2048 + 100, 2048 × 1.2) = 2457.6 → whole 64 MiB steps: 2496
        assertThat(raised.path("memory_mb_after").asInt()).isEqualTo(2496);

        // applied: the OOM is answered, the next cycle has no OOM urgency left
        api.containers(ONLY_101.replace("2048", "2496"));
        writeOne(metrics, 72, 6, 1000, -1);
        d.runCycle();
        JsonNode after = byContainer(journal()).get("101");
        assertThat(after.path("reason").asText()).doesNotContain("oom_kill");
        assertThat(api.requests("/scale/ram")).hasSize(1);
    }

    @Test
    void anOomSeenInDryRunStaysPending() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101);
        api.node(node(65536));
        writeOne(metrics, 0, 60, 1000, 55);
        ModelDaemon d = daemon(config(metrics, "scaling: {dry_run: true}"), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        d.runCycle();
        writeOne(metrics, 60, 6, 1000, -1);
        d.runCycle();
        assertThat(byContainer(journal()).get("101").path("reason").asText()).contains("1 oom_kill event(s)");
        assertThat(d.store().get("101").pendingOomKills()).isEqualTo(1);
    }

    @Test
    void aRestartRightAfterAJournalRotationKeepsTheCooldowns() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        writeMetrics(metrics, 0, 200);
        api.containers(CONTAINERS);
        ModelConfig c = config(metrics, NO_CPU_WARMUP);
        // a journal of at most ~one entry per file: every line rotates the one before it away
        daemon(c, Clock.fixed(T0.plusSeconds(2000), ZoneOffset.UTC), 600).runCycle();
        assertThat(api.requests("/scale/cores")).hasSize(2);
        Path live = dir.resolve("suggestions.json");
        assertThat(dir.resolve("suggestions.json.1")).exists();
        assertThat(Files.readString(live)).doesNotContain("\"container_id\":\"101\"");   // 101's applied entry was rotated away
        writeMetrics(metrics, 200, 6);
        daemon(c, Clock.fixed(T0.plusSeconds(2060), ZoneOffset.UTC), 600).runCycle();
        assertThat(api.requests("/scale/cores")).hasSize(2);   // 101 still in its up-cooldown, 102 in its down-cooldown
    }

    @Test
    void aTmpfsHeavyContainersMemoryIsNeverSetBelowAnonPlusShmem() throws Exception {
        // memory.current 3000 MiB, file 2000 MiB of which shmem (tmpfs) 1800: Proxmox's used = 3000 - 2000 = 1000,
        // unreclaimable = anon 900 + shmem 1800 + kernel 100 = used + shmem = 2800 MiB
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101.replace("2048", "8192"));
        api.node(node(65536));
        try (MetricsWriter writer = new MetricsWriter(metrics, 1L << 30, 2, null)) {
            for (int i = 0; i < 60; i++) {
                ObjectNode s = sample("101", T0.plusSeconds(10L * i), 0.5, 2, 1000, 8192);
                s.remove("memory_usage_mb");
                s.putObject("memory").put("used_mb", 1000.0).put("current_mb", 3000.0).put("file_mb", 2000.0).put("shmem_mb", 1800.0);
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", s);
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 1)));
            }
        }
        ModelDaemon d = daemon(config(metrics, "scaling: {memory_warmup_hours: 0, cpu_warmup_hours: 0}"),
                Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        d.runCycle();
        JsonNode e = byContainer(journal()).get("101");
        assertThat(e.path("ram_action").asText()).isEqualTo("decrease");
        // estimate 2800 + 10 % = 3080 → 3136 in 64 MiB steps; floor 2800 + max(64, 20 % = 560) = 3360 wins
        assertThat(e.path("memory_mb_after").asInt()).isEqualTo(3360).isGreaterThanOrEqualTo(2800);
        assertThat(api.requests("/scale/ram")).extracting(FakeApi.Request::body).containsExactly("{\"vm_id\":101,\"memory\":3360}");
    }

    @Test
    void aContainerBoundByItsCpulimitGetsNoCoresFromTheDaemon() throws Exception {
        // the API's configs carry Proxmox's cpulimit; 1.9 cores used of cores 2 with cpulimit 1 cannot be: use 0.99, throttled
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101.replace("\"cores\":2,", "\"cores\":2,\"cpulimit\":1,"));
        api.node(node(65536));
        try (MetricsWriter writer = new MetricsWriter(metrics, 1L << 30, 2, null)) {
            for (int i = 0; i < 60; i++) {
                ObjectNode s = sample("101", T0.plusSeconds(10L * i), 0.99, 2, 1000, 2048);
                ((ObjectNode) s.path("cpu")).put("nr_periods", 100).put("nr_throttled", 80);
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", s);
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 1)));
            }
        }
        daemon(config(metrics, ""), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC)).runCycle();
        JsonNode e = byContainer(journal()).get("101");
        assertThat(e.path("cores_after").asInt()).isEqualTo(2);
        assertThat(e.path("reason").asText()).contains("bound by cpulimit 1: no cores added");
        assertThat(api.requests("/scale/cores")).isEmpty();
    }

    @Test
    void anOomAtMaxRamIsAnsweredSoMemoryCanStillComeDownLater() throws Exception {
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101);
        api.node(node(65536));
        writeOne(metrics, 0, 60, 1000, 55);
        ModelDaemon d = daemon(config(metrics, "scaling: {max_ram_mb: 2048}"), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        d.runCycle();
        assertThat(byContainer(journal()).get("101").path("reason").asText()).contains("1 oom_kill event(s)");
        assertThat(api.requests("/scale/ram")).isEmpty();
        assertThat(d.store().get("101").pendingOomKills()).isZero();
    }

    @Test
    void everyDecisionIsJournaledEvenWhenOneContainersHandlingThrows() throws Exception {
        // a container id that is not a number makes the client's request building throw (NumberFormatException)
        Path metrics = dir.resolve("lxc_metrics.json");
        api.containers(ONLY_101.substring(0, ONLY_101.length() - 1)
                + ",{\"vmid\":\"odd\",\"status\":\"running\",\"cores\":2,\"memory_mb\":2048,\"tags\":[]}]");
        api.node(node(65536));
        try (MetricsWriter writer = new MetricsWriter(metrics, 1L << 30, 2, null)) {
            for (int i = 0; i < 60; i++) {
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", sample("101", T0.plusSeconds(10L * i), 1.9, 2, 1000, 2048));
                cts.put("odd", sample("101", T0.plusSeconds(10L * i), 1.9, 2, 1000, 2048));
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 2)));
            }
        }
        ModelDaemon.CycleReport r = daemon(config(metrics, ""), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC)).runCycle();
        Map<String, JsonNode> j = byContainer(journal());
        assertThat(j.keySet()).containsExactlyInAnyOrder("101", "odd");
        assertThat(j.get("odd").path("outcome").asText()).isEqualTo("failed");
        assertThat(j.get("odd").path("error").asText()).contains("unexpected error").contains("NumberFormatException");
        assertThat(j.get("101").path("outcome").asText()).isEqualTo("applied");
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.applied()).isEqualTo(1);
    }
}
