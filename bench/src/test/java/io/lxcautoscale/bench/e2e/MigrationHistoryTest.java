package io.lxcautoscale.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.bench.api.ApiDaemon;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.common.metrics.Snapshot;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.ModelDaemon;
import io.lxcautoscale.model.ModelMain;
import io.lxcautoscale.sim.pveapi.SimPveAccess;
import io.lxcautoscale.sim.pveapi.SimPveApi;
import io.lxcautoscale.sim.pveapi.SimPveApiServer;
import io.lxcautoscale.sim.pveapi.SimPveCertificates;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import io.lxcautoscale.sim.pveapi.SimPveUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container migrated mid-run keeps its history and is never driven by two models. Two nodes of a simulated
 * Proxmox cluster (its REST API over HTTPS with a token), each with a real API daemon (a child JVM, {@code proxmox.backend:
 * api}) and a real model daemon in cluster mode (in this JVM, its cycles run on a clock the test moves); the monitor's
 * part is played by the test, which appends to each node's metrics file what its monitor would sample there.
 *
 * <p>CT 105 ("web", 2 cores, 2048 MiB) uses 0.4 cores and 600 MiB throughout. It runs 20 h on pve1, then migrates to
 * pve2 (restart mode: locked and stopped for one round, then running on pve2), where it runs 5 h more. Both models run
 * one cycle every 30 simulated minutes. Expected, by hand, from the model's defaults (5-minute steps, memory warm-up
 * {@code memory_warmup_hours} 24 = 288 steps):
 * <ul>
 *   <li>pve1 cannot lower 105's memory in its 20 h (240 steps &lt; 288).</li>
 *   <li>pve2 takes over pve1's 240 steps at the first cycle after the move: with its own 12 steps per 30 minutes it has
 *       288 after 4 h (48 own steps), so it lowers memory within its 5 h there. Without the steps of pve1 it would have
 *       at most 60 steps and could not.</li>
 *   <li>Never two models: in every round at most one node's journal has a decision for 105 that is not a skip; pve1
 *       decides nothing for it after the move, pve2 nothing before it; pve1's API daemon changes nothing of 105 after
 *       the move.</li>
 * </ul>
 */
class MigrationHistoryTest {
    private static final String KEY = "migration-test-key-0123456789";
    private static final String TOKEN_ID = "autoscale@pve!ml";
    private static final String SECRET = "5b1f3c2d-7e8a-4b9c-8d0e-1f2a3b4c5d6e";
    private static final long GIB = 1024L * 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final int ROUND_MINUTES = 30;
    private static final int HOURS_ON_PVE1 = 20;
    private static final int HOURS_ON_PVE2 = 5;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The models' clock: moved by the test. */
    private static final class TestClock extends Clock {
        private volatile Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private record Node(String name, Path dir, ApiDaemon api, ModelDaemon model, MetricsWriter metrics) {
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aMigratedContainerKeepsItsHistoryAndIsNeverDrivenByTwoModels() throws Exception {
        SimPveCluster cluster = new SimPveCluster();
        cluster.addNode("pve1", 8, 32 * GIB);
        cluster.addNode("pve2", 8, 32 * GIB);
        cluster.addContainer(new SimPveContainer(105, "pve1", "web", "running", 2, 2048, Optional.empty(), Optional.empty(), List.of()));
        cluster.setUsage(105, new SimPveUsage(0.2, 600L << 20));
        SimPveAccess access = new SimPveAccess(TOKEN_ID, SECRET)
                .grant("/", Set.of("VM.Audit", "Sys.Audit", "VM.Config.CPU", "VM.Config.Memory"));
        SimPveCertificates certificates = SimPveCertificates.create(Files.createDirectories(dir.resolve("certs")), "Simulated Proxmox CA", "pve1");
        SimPveApiServer proxmox = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
        open.add(proxmox::close);
        Path token = access.writeTokenFile(dir.resolve("pve_api_token"));

        TestClock clock = new TestClock();
        Map<String, Integer> apiPorts = Map.of("pve1", ApiDaemon.freePort(), "pve2", ApiDaemon.freePort());
        String peers = "[pve1=http://127.0.0.1:" + apiPorts.get("pve1") + ", pve2=http://127.0.0.1:" + apiPorts.get("pve2") + "]";
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (String name : List.of("pve1", "pve2")) {
            nodes.put(name, startNode(name, apiPorts.get(name), proxmox.port(), token, certificates.caPem(), peers, clock));
        }

        long minute = 0;
        long moveAt = HOURS_ON_PVE1 * 60L;
        long end = moveAt + HOURS_ON_PVE2 * 60L;
        boolean moved = false;
        int pve1ChangesBeforeMove = -1;
        List<Instant> rounds = new ArrayList<>();
        while (minute < end) {
            if (minute == moveAt && !moved) {
                // restart mode: locked and stopped for one round, no sample anywhere, then running on pve2
                cluster.startMigration(105, "pve2", false, TOKEN_ID);
                clock.now = T0.plusSeconds(60 * minute);
                rounds.add(round(nodes, clock));
                pve1ChangesBeforeMove = auditedChanges(nodes.get("pve1")).size();
                cluster.finishTasks();
                moved = true;
                waitUntilListed(nodes.get("pve2"), 105);
            }
            for (int i = 0; i < ROUND_MINUTES; i++, minute++) {
                Instant t = T0.plusSeconds(60 * minute);
                SimPveContainer ct = cluster.container(105).orElseThrow();
                nodes.get(ct.node()).metrics().append(snapshot(t, ct));
            }
            clock.now = T0.plusSeconds(60 * minute);
            rounds.add(round(nodes, clock));
        }
        Instant movedAt = T0.plusSeconds(60 * moveAt);

        List<JsonNode> pve1 = journal(nodes.get("pve1"));
        List<JsonNode> pve2 = journal(nodes.get("pve2"));
        // never two models: per round, at most one journal decided for 105; each node only while 105 ran there
        for (Instant round : rounds) {
            long deciding = List.of(pve1, pve2).stream().filter(j -> j.stream().anyMatch(e -> at(e, round) && decides(e))).count();
            assertThat(deciding).as("models deciding for 105 in the round at %s", round).isLessThanOrEqualTo(1);
        }
        assertThat(pve1).as("pve1 decided for 105 before the move").anyMatch(e -> decides(e) && time(e).isBefore(movedAt));
        // the round at movedAt ran twice: before the migration started, then with 105 locked (and stopped)
        assertThat(pve1).as("pve1 while 105 migrates").anyMatch(e -> at(e, movedAt) && e.path("reason").asText().equals("skipped: locked (migrate)"));
        assertThat(pve1).as("pve1 once 105 runs on pve2").filteredOn(e -> time(e).isAfter(movedAt)).isNotEmpty()
                .allMatch(e -> e.path("reason").asText().equals("skipped: runs on node pve2, whose model decides for it"));
        assertThat(pve2).as("pve2 before the move").noneMatch(e -> time(e).isBefore(movedAt));
        assertThat(pve1).as("pve1 lowers no memory in its 20 h (warm-up 24 h)")
                .noneMatch(e -> e.path("outcome").asText().equals("applied") && e.path("ram_action").asText().equals("decrease"));
        assertThat(pve1ChangesBeforeMove).as("pve1's API changed 105 (its cores) while it ran there").isPositive();
        assertThat(auditedChanges(nodes.get("pve1"))).as("pve1's API changes of 105, the move included").hasSize(pve1ChangesBeforeMove);

        // the history followed 105: pve2 lowers its memory within 5 h, which 5 h of its own samples could not allow
        List<JsonNode> lowered = pve2.stream().filter(e -> e.path("outcome").asText().equals("applied")
                && e.path("ram_action").asText().equals("decrease")).toList();
        assertThat(lowered).as("pve2's memory decreases of 105; pve2's journal:\n%s", pve2).isNotEmpty();
        assertThat(time(lowered.get(0))).isAfterOrEqualTo(movedAt.plus(Duration.ofHours(4)));
        assertThat(cluster.container(105).orElseThrow().memoryMib()).isLessThan(2048).isGreaterThanOrEqualTo(600);

        // and pve2's API serves it from pve2's model: steps back to the first sample on pve1
        JsonNode steps = get(nodes.get("pve2").api().base + "/status/history?vmid=105").path("data");
        assertThat(steps.path("step_seconds").asInt()).isEqualTo(300);
        assertThat(steps.path("first_step_start").asLong()).isEqualTo(T0.getEpochSecond());
        assertThat(steps.path("memory_peak_mb").get(0).asDouble()).isEqualTo(600.0);
        // 25 h of 5-minute steps: 240 kept on pve1, 60 on pve2 (the last one still open)
        assertThat(steps.path("cpu_cores").size()).isEqualTo((HOURS_ON_PVE1 + HOURS_ON_PVE2) * 12);
    }

    private Node startNode(String name, int apiPort, int proxmoxPort, Path token, Path ca, String peers, Clock clock) throws Exception {
        Path nodeDir = Files.createDirectories(dir.resolve(name));
        int modelPort = ApiDaemon.freePort();
        Path modelYaml = nodeDir.resolve("lxc_autoscale_ml.yaml");
        Files.writeString(modelYaml, """
                data_file: %1$s/lxc_metrics.json
                suggestions_file: %1$s/suggestions.json
                lock_file: %1$s/ml.lock
                log_file: ''
                metrics_endpoint: 127.0.0.1:%2$d
                api: {api_url: 'http://127.0.0.1:%3$d', api_key: %4$s}
                retry_logic: {retry_delay: 0}
                cluster:
                  enabled: true
                  node: %5$s
                  api_url: https://localhost:%6$d
                  token_file: %7$s
                  ca_file: %8$s
                  peer_api_urls: %9$s
                """.formatted(nodeDir, modelPort, apiPort, KEY, name, proxmoxPort, token, ca, peers));
        Path apiYaml = nodeDir.resolve("lxc_autoscale_api.yaml");
        Files.writeString(apiYaml, """
                server: {host: 127.0.0.1, port: %2$d}
                lxc: {node: %3$s}
                proxmox: {backend: api, api_url: 'https://localhost:%4$d', token_file: %5$s, ca_file: %6$s}
                authentication: {api_keys: [%7$s], api_key_file: %1$s/none}
                audit: {log_file: %1$s/audit.json}
                logging: {level: WARN, access_log: false}
                status: {metrics_file: %1$s/lxc_metrics.json, suggestions_file: %1$s/suggestions.json, model_config_file: %8$s}
                """.formatted(nodeDir, apiPort, name, proxmoxPort, token, ca, KEY, modelYaml));
        ApiDaemon api = ApiDaemon.start(nodeDir, apiYaml, apiPort, "-Xmx128m");
        open.add(api);
        MetricsWriter metrics = new MetricsWriter(nodeDir.resolve("lxc_metrics.json"), 1L << 30, 2, null);
        open.add(metrics);
        ModelConfig config = ConfigLoader.load(modelYaml, ModelConfig::bind).config();
        ModelDaemon model = ModelMain.daemon(config, clock, true);
        open.add(model::close);
        model.serveMetrics();
        return new Node(name, nodeDir, api, model, metrics);
    }

    /** One cycle of each node's model at the clock's time; returns that time. */
    private static Instant round(Map<String, Node> nodes, Clock clock) throws Exception {
        for (Node n : nodes.values()) {
            ModelDaemon.CycleReport r = n.model().runCycle();
            assertThat(r.error()).as("cycle of %s", n.name()).isNull();
        }
        return clock.instant();
    }

    /** What the monitor of the container's node samples once a minute: 0.4 cores and 600 MiB used, its allocation. */
    private static Snapshot snapshot(Instant t, SimPveContainer ct) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("timestamp", MetricTime.format(t));
        s.put("cpu_usage_percent", 0.4 / ct.cores() * 100);
        s.put("memory_usage_mb", 600.0);
        s.put("interval_seconds", 60.0);
        s.putObject("allocation").put("cores", ct.cores()).put("memory_mb", ct.memoryMib()).put("hostname", ct.hostname());
        s.putObject("cpu").put("used_cores", 0.4).put("nr_periods", 600).put("nr_throttled", 0);
        Map<String, JsonNode> cts = new LinkedHashMap<>();
        cts.put(Integer.toString(ct.vmid()), s);
        return new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 1));
    }

    private void waitUntilListed(Node node, int vmid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode configs = get(node.api().base + "/resource/lxc/configs");
            if (configs.toString().contains("\"vmid\":" + vmid)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(node.name() + "'s API did not list " + vmid + " within 30 s");
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private static List<JsonNode> journal(Node node) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(node.dir().resolve("suggestions.json"), StandardCharsets.UTF_8)) {
            JsonNode e = Json.mapper().readTree(line);
            if (e.path("container_id").asText().equals("105")) {
                out.add(e);
            }
        }
        return out;
    }

    /** The scaling calls for 105 the node's API daemon audited (stamped with the wall clock, not the models'). */
    private static List<String> auditedChanges(Node node) throws Exception {
        Path audit = node.dir().resolve("audit.json");
        List<String> out = new ArrayList<>();
        if (!Files.exists(audit)) {
            return out;
        }
        for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
            JsonNode a = Json.mapper().readTree(line);
            if (a.path("params").path("vm_id").asText().equals("105")) {
                out.add(line);
            }
        }
        return out;
    }

    private static boolean decides(JsonNode entry) {
        return !entry.path("reason").asText().startsWith("skipped:");
    }

    private static boolean at(JsonNode entry, Instant t) {
        return time(entry).equals(t);
    }

    private static Instant time(JsonNode entry) {
        return OffsetDateTime.parse(entry.path("timestamp").asText()).toInstant();
    }
}
