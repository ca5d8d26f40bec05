package io.lxcautoscale.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.common.metrics.Snapshot;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.journal.SuggestionJournal;
import io.lxcautoscale.model.testing.ExpositionParser;
import io.lxcautoscale.model.testing.FakeApi;
import io.lxcautoscale.model.testing.HttpReceiver;
import io.lxcautoscale.model.testing.SilentServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications and metrics driven by the daemon's real cycle: real metrics file, real HTTP API, real receivers. */
class ModelDaemonEventsTest {
    private static final Instant T0 = Instant.parse("2026-08-18T10:00:00Z");
    private static final String CONTAINERS = "["
            + "{\"vmid\":101,\"status\":\"running\",\"name\":\"busy\",\"cores\":2,\"memory_mb\":2048,\"lock\":null,\"tags\":[],\"template\":false},"
            + "{\"vmid\":102,\"status\":\"running\",\"name\":\"calm\",\"cores\":1,\"memory_mb\":512,\"lock\":null,\"tags\":[],\"template\":false}]";

    @TempDir
    Path dir;
    private final FakeApi api = new FakeApi();
    private final HttpReceiver receiver = new HttpReceiver();
    private final MutableClock clock = new MutableClock(T0.plusSeconds(2000));

    ModelDaemonEventsTest() throws Exception {
    }

    @AfterEach
    void stop() {
        api.close();
        receiver.close();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Rows of 10 s: 101 uses 1.9 of its 2 cores (wants a third), 102 is calm; {@code oomRow} gives 102 an OOM kill. */
    private void metricsRows(int from, int rows, int oomRow) throws Exception {
        try (MetricsWriter writer = new MetricsWriter(dir.resolve("metrics.json"), 1L << 30, 2, null)) {
            for (int i = from; i < from + rows; i++) {
                Instant t = T0.plusSeconds(10L * i);
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", row(t, 1.9, 2, 700, 2048, 0));
                cts.put("102", row(t, 0.5, 1, 300, 512, i == oomRow ? 1 : 0));
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 2)));
            }
        }
    }

    private static ObjectNode row(Instant t, double used, double cores, double memoryMb, double allocMb, int oomKills) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("timestamp", MetricTime.format(t));
        s.put("cpu_usage_percent", used / cores * 100);
        s.put("memory_usage_mb", memoryMb);
        s.put("interval_seconds", 10.0);
        s.putObject("allocation").put("cores", cores).put("memory_mb", allocMb);
        s.putObject("cpu").put("used_cores", used).put("nr_periods", 100).put("nr_throttled", 0);
        s.putObject("memory").putObject("events").put("oom_kill", oomKills);
        return s;
    }

    private ModelDaemon daemon(String notifications) {
        String yaml = "data_file: " + dir.resolve("metrics.json") + "\nsuggestions_file: " + dir.resolve("journal.json")
                + "\nlock_file: " + dir.resolve("lock") + "\nlog_file: ''\nmetrics_endpoint: 127.0.0.1:0"
                + "\napi: {api_url: '" + api.url() + "', api_key: k}\nretry_logic: {retry_delay: 0}"
                + "\nscaling: {cpu_warmup_hours: 0}\ncircuit_breaker: {failure_threshold: 1, timeout_seconds: 120}"
                + "\nnotifications:\n" + notifications.indent(2);
        ModelConfig c = ConfigLoader.parse("test.yaml", yaml, ModelConfig::bind).config();
        ApiClient client = new ApiClient(c.api().apiUrl(), c.api().coresEndpoint(), c.api().ramEndpoint(), c.api().configsEndpoint(),
                c.api().nodeEndpoint(), Duration.ofSeconds(5), Duration.ofSeconds(10), c.api().apiKey(), c.maxRetries(), Duration.ZERO, d -> { });
        return new ModelDaemon(c, client, new SuggestionJournal(c.suggestionsFile(), 1 << 20, 5), clock, true);
    }

    /** The next {@code n} messages as "event/container". */
    private List<String> received(int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpReceiver.Received r = receiver.next();
            assertThat(r).as("message %d of %d (got %s)", i + 1, n, out).isNotNull();
            JsonNode j = Json.mapper().readTree(r.body());
            out.add(j.path("event").asText() + "/" + (j.path("container").isNull() ? "-" : j.path("container").asText()));
        }
        return out;
    }

    private Map<String, JsonNode> lastJournalEntries() throws Exception {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("journal.json"))) {
            JsonNode e = Json.mapper().readTree(line);
            last.put(e.path("container_id").asText(), e);
        }
        return last;
    }

    @Test
    void theCycleNotifiesFailuresBreakerOutagesRecoveryAndOomKillsAndExportsThem() throws Exception {
        metricsRows(0, 200, -1);
        api.containers(CONTAINERS);
        api.script("/scale/cores", 500, 500, 500);   // every attempt of 101's increase fails
        ModelDaemon d = daemon("min_interval_seconds: 0\nwebhook: {url: '" + receiver.url("/hook") + "'}");
        try {
            d.runCycle();
            assertThat(lastJournalEntries().get("101").path("outcome").asText()).isEqualTo("failed");
            assertThat(lastJournalEntries().get("102").path("outcome").asText()).isEqualTo("no-change");
            assertThat(received(2)).containsExactlyInAnyOrder("breaker_opened/101", "change_failed/101");

            api.script("/resource/lxc/configs", 500, 500, 500);
            clock.set(T0.plusSeconds(2060));
            assertThat(d.runCycle().error()).contains("500");
            assertThat(received(1)).containsExactly("api_unreachable/-");
            assertThat(ExpositionParser.parse(scrapeOf(d)).value("lxcas_model_api_up")).isZero();
            api.script("/resource/lxc/configs", 500, 500, 500);
            clock.set(T0.plusSeconds(2120));
            d.runCycle();   // still down: said once, not every cycle

            metricsRows(200, 20, 205);   // 102 is OOM-killed at T0 + 2050 s
            clock.set(T0.plusSeconds(2200));   // 101's breaker (open until T0 + 2120 s) lets a trial through
            d.runCycle();
            Map<String, JsonNode> j = lastJournalEntries();
            assertThat(j.get("101").path("outcome").asText()).isEqualTo("applied");
            assertThat(j.get("102").path("ram_action").asText()).isEqualTo("increase");
            assertThat(j.get("102").path("outcome").asText()).isEqualTo("applied");
            assertThat(received(5)).containsExactlyInAnyOrder("api_back/-", "oom_kill/102", "breaker_closed/101", "change_applied/101",
                    "change_applied/102");

            ExpositionParser.Scrape s = ExpositionParser.parse(scrapeOf(d));
            assertThat(s.value("lxcas_decisions_total", "id", "lxc/101", "node", "pve1", "resource", "cpu", "direction", "up", "outcome", "failed")).isEqualTo(1);
            assertThat(s.value("lxcas_decisions_total", "id", "lxc/101", "resource", "cpu", "direction", "up", "outcome", "applied")).isEqualTo(1);
            assertThat(s.value("lxcas_decisions_total", "id", "lxc/102", "resource", "memory", "direction", "up", "outcome", "applied")).isEqualTo(1);
            assertThat(s.value("lxcas_container_oom_kills_total", "id", "lxc/102")).isEqualTo(1);
            assertThat(s.value("lxcas_container_oom_kills_total", "id", "lxc/101")).isZero();
            assertThat(s.value("lxcas_container_cpu_used_cores", "id", "lxc/101")).isCloseTo(1.9, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(s.value("lxcas_container_memory_used_bytes", "id", "lxc/102")).isEqualTo(300.0 * 1024 * 1024);
            assertThat(s.value("lxcas_container_cpu_allocated_cores", "id", "lxc/101")).isEqualTo(2);   // the API's figure this cycle
            assertThat(s.value("lxcas_recommendation_target_cores", "id", "lxc/101")).isEqualTo(j.get("101").path("cores_after").asInt());
            assertThat(s.value("lxcas_recommendation_target_bytes", "id", "lxc/102"))
                    .isEqualTo(j.get("102").path("memory_mb_after").asDouble() * 1024 * 1024);
            assertThat(s.value("lxcas_recommendation_upper_bound_cores", "id", "lxc/101")).isEqualTo(4);       // max_cpu_cores default
            assertThat(s.value("lxcas_recommendation_lower_bound_bytes", "id", "lxc/101")).isEqualTo(512.0 * 1024 * 1024);
            assertThat(s.value("lxcas_notifications_sent_total", "kind", "webhook")).isBetween(7.0, 8.0);
            assertThat(s.value("lxcas_model_cycles_total")).isEqualTo(4);
            assertThat(s.value("lxcas_model_last_cycle_timestamp_seconds")).isEqualTo(T0.plusSeconds(2200).getEpochSecond());
            assertThat(s.value("lxcas_model_api_up")).isEqualTo(1);   // the 8th may still be on its way
        } finally {
            d.close();
        }
    }

    /** What the real endpoint serves (started on a free port at the first call). */
    private static String scrapeOf(ModelDaemon d) throws Exception {
        d.serveMetrics();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.endpoint().port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aDecisionCutByTheNodesCapacityIsNotified() throws Exception {
        metricsRows(0, 200, -1);
        api.containers(CONTAINERS);
        api.node("{\"cpuinfo\":{\"cpus\":2},\"memory\":{\"total\":68719476736,\"used\":1}}");   // 1 usable core: 101 cannot get a third
        ModelDaemon d = daemon("events: [capacity_capped]\nwebhook: {url: '" + receiver.url("/hook") + "'}");
        try {
            d.runCycle();
            assertThat(lastJournalEntries().get("101").path("reason").asText()).contains("node capacity: cores capped at 2");
            assertThat(received(1)).containsExactly("capacity_capped/101");
        } finally {
            d.close();
        }
    }

    @Test
    void aContainerThatGoesLeavesTheMetrics() throws Exception {
        metricsRows(0, 200, -1);
        api.containers(CONTAINERS);
        ModelDaemon d = daemon("");
        try {
            d.runCycle();
            assertThat(d.metrics().containers()).containsExactlyInAnyOrder("101", "102");
            clock.set(T0.plusSeconds(2000 + 3700));   // no sample for more than history.forget_after_seconds (3600)
            d.runCycle();
            assertThat(d.metrics().containers()).isEmpty();
        } finally {
            d.close();
        }
    }

    /** A webhook that accepts connections and never answers, with a 300 s timeout: the cycle still ends at once. */
    @Test
    void aHangingNotifierDoesNotDelayTheCycle() throws Exception {
        metricsRows(0, 200, -1);
        api.containers(CONTAINERS);
        try (SilentServer silent = new SilentServer()) {
            ModelDaemon d = daemon("timeout_seconds: 300\nwebhook: {url: 'http://127.0.0.1:" + silent.port() + "/'}");
            try {
                // far below the channel's 300 s timeout: a cycle that waited for it could not finish in time
                ModelDaemon.CycleReport r = assertTimeoutPreemptively(Duration.ofSeconds(90), d::runCycle);
                assertThat(r.applied()).isEqualTo(1);   // 101's third core
                assertThat(lastJournalEntries()).containsOnlyKeys("101", "102");
                assertThat(d.notifications().sent("webhook")).isZero();
            } finally {
                d.close();
            }
        }
    }
}
