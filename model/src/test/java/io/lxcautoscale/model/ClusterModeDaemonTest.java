package io.lxcautoscale.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.common.metrics.Snapshot;
import io.lxcautoscale.common.pveapi.PveApiException;
import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import io.lxcautoscale.common.pveapi.PveNode;
import io.lxcautoscale.common.pveapi.PveTaskStatus;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.cluster.ClusterSource;
import io.lxcautoscale.model.cluster.ClusterView;
import io.lxcautoscale.model.cluster.Migrations;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One cycle of the daemon in cluster mode, with the cluster's view given by a fake source. */
class ClusterModeDaemonTest {
    private static final Instant T0 = Instant.parse("2026-08-18T10:00:00Z");
    private static final long MIB = 1024L * 1024;
    /** This host, pve1: 3 CPUs and 8 GiB, so with reserve_cores 1 one container may have at most 2 cores. */
    private static final String SMALL_NODE = "{\"cpuinfo\":{\"cpus\":3},\"memory\":{\"total\":" + 8192 * MIB + ",\"used\":1}}";
    /** As pve1's API lists them: 102 has already moved to pve2, so pve1's API does not list it. */
    private static final String LOCAL_CONTAINERS = "["
            + "{\"vmid\":101,\"status\":\"running\",\"name\":\"busy\",\"cores\":2,\"memory_mb\":2048,\"lock\":null,\"tags\":[],\"template\":false},"
            + "{\"vmid\":104,\"status\":\"running\",\"name\":\"saved\",\"cores\":2,\"memory_mb\":1024,\"lock\":null,\"tags\":[],\"template\":false}]";

    @TempDir
    Path dir;
    private final FakeApi api = new FakeApi();

    ClusterModeDaemonTest() throws Exception {
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** 101 uses 1.9 of its 2 cores (it wants 3), 102 and 104 are idle; 200 rows of 10 s. */
    private Path metrics() throws Exception {
        Path file = dir.resolve("lxc_metrics.json");
        try (MetricsWriter writer = new MetricsWriter(file, 1L << 30, 2, null)) {
            for (int i = 0; i < 200; i++) {
                Instant t = T0.plusSeconds(10L * i);
                Map<String, JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", row(t, 1.9, 2, 600, 2048));
                cts.put("102", row(t, 0.1, 4, 300, 4096));
                cts.put("104", row(t, 0.1, 2, 300, 1024));
                writer.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 3)));
            }
        }
        return file;
    }

    private static ObjectNode row(Instant t, double usedCores, double cores, double memoryMb, double allocMb) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("timestamp", MetricTime.format(t));
        s.put("cpu_usage_percent", usedCores / cores * 100);
        s.put("memory_usage_mb", memoryMb);
        s.put("interval_seconds", 10.0);
        s.putObject("allocation").put("cores", cores).put("memory_mb", allocMb);
        s.putObject("cpu").put("used_cores", usedCores).put("nr_periods", 100).put("nr_throttled", 0);
        return s;
    }

    private static PveGuest ct(int vmid, String node, String lock, int cores, long memoryMb) {
        return new PveGuest(vmid, "lxc", node, "running", Optional.empty(), Optional.ofNullable(lock), Optional.empty(), List.of(),
                cores, 0.1, memoryMb * MIB, memoryMb * MIB / 2);
    }

    private static PveNode node(String name, String status, int cpus, long memoryMb) {
        return new PveNode(name, status, cpus, 0.1, memoryMb * MIB, memoryMb * MIB / 10, Optional.empty());
    }

    /** pve1 (this host), pve2 (16 CPUs, 64 GiB, holding 102) and pve3 (offline). */
    private static final ClusterSource CLUSTER = () -> ClusterView.of("pve1",
            List.of(ct(101, "pve1", null, 2, 2048), ct(102, "pve2", null, 4, 4096), ct(104, "pve1", "backup", 2, 1024)),
            List.of(node("pve1", "online", 3, 8192), node("pve2", "online", 16, 65536), node("pve3", "offline", 64, 262144)), true);

    private ModelDaemon daemon(ClusterSource cluster) {
        return daemon(cluster, "", null);
    }

    /**
     * @param clusterKeys more {@code cluster.*} keys, each followed by ", "
     * @param migrationApi with {@code cluster.migrate} in {@code clusterKeys}: the daemon's migrations go there
     */
    private ModelDaemon daemon(ClusterSource cluster, String clusterKeys, Migrations.MigrationApi migrationApi) {
        String yaml = "data_file: " + dir.resolve("lxc_metrics.json") + "\nsuggestions_file: " + dir.resolve("suggestions.json")
                + "\nlock_file: " + dir.resolve("lock") + "\nlog_file: ''\napi: {api_url: '" + api.url() + "', api_key: k}\n"
                + "retry_logic: {retry_delay: 0}\nscaling: {cpu_warmup_hours: 0}\ncluster: {" + clusterKeys + "enabled: true, node: pve1}\n";
        ModelConfig c = ConfigLoader.parse("test.yaml", yaml, ModelConfig::bind).config();
        Migrations migrations = migrationApi == null ? null : new Migrations(migrationApi, c.cluster().migration(), ZoneOffset.UTC);
        ApiClient client = new ApiClient(c.api().apiUrl(), c.api().coresEndpoint(), c.api().ramEndpoint(), c.api().configsEndpoint(),
                c.api().nodeEndpoint(), Duration.ofSeconds(5), Duration.ofSeconds(5), c.api().apiKey(), 1, Duration.ZERO, d -> { });
        return new ModelDaemon(c, client, new SuggestionJournal(c.suggestionsFile(), 1 << 20, 2),
                Clock.fixed(T0.plusSeconds(2000), ZoneOffset.UTC), true, cluster, migrations);
    }

    private List<JsonNode> journal() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("suggestions.json"), StandardCharsets.UTF_8)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void decidesForItsOwnUnlockedContainersAndRecommendsANodeWithRoomForACappedOne() throws Exception {
        metrics();
        api.node(SMALL_NODE);
        api.containers(LOCAL_CONTAINERS);

        ModelDaemon.CycleReport r = daemon(CLUSTER).runCycle();

        assertThat(r.error()).isNull();
        List<JsonNode> j = journal();
        assertThat(j).extracting(e -> e.path("container_id").asText() + " " + e.path("outcome").asText())
                .containsExactlyInAnyOrder("101 recommend_migrate", "101 no-change", "102 skipped", "104 skipped");
        JsonNode recommendation = j.stream().filter(e -> e.path("outcome").asText().equals("recommend_migrate")).findFirst().orElseThrow();
        JsonNode decision = j.stream().filter(e -> e.path("container_id").asText().equals("101")
                && e.path("outcome").asText().equals("no-change")).findFirst().orElseThrow();
        // pve1 gives one container at most 3 − 1 = 2 cores; on a large node the same decision is 3 cores (1.9 used + 10 %)
        assertThat(decision.path("reason").asText()).contains("node capacity: cores capped at 2");
        assertThat(recommendation.path("from_node").asText()).isEqualTo("pve1");
        assertThat(recommendation.path("to_node").asText()).isEqualTo("pve2"); // pve3 is offline
        assertThat(recommendation.path("wanted_cores").asInt()).isEqualTo(3);
        assertThat(recommendation.path("wanted_memory_mb").asInt()).isEqualTo(2048);
        assertThat(recommendation.path("cpu_action").asText()).isEqualTo("none");
        // pve2: (16 − 1) × 4 = 60 core slots, 4 held by 102, 3 for 101 → 53 left; 65536 − 2048 = 63488 MiB, 4096 + 2048 held → 57344
        assertThat(recommendation.path("reason").asText()).contains("pve2 has the most room after the move: 53 of 60 core slots "
                + "and 57344 of 63488 MiB free").endsWith("; not pve3 (offline)");
        assertThat(j.indexOf(recommendation)).isLessThan(j.indexOf(decision)); // the decision stays the container's latest entry
        assertThat(j.stream().filter(e -> e.path("container_id").asText().equals("102")).findFirst().orElseThrow()
                .path("reason").asText()).isEqualTo("skipped: runs on node pve2, whose model decides for it");
        assertThat(j.stream().filter(e -> e.path("container_id").asText().equals("104")).findFirst().orElseThrow()
                .path("reason").asText()).isEqualTo("skipped: locked (backup)");
        assertThat(api.requests().stream().filter(q -> q.method().equals("POST"))).isEmpty();
    }

    /** {@link #CLUSTER} with 101 HA-managed, and its HA rules as {@code rules} gives them (or throws). */
    private static ClusterSource haCluster(java.util.function.Supplier<Map<Integer, PveHaNodeAffinity>> rules, int[] asked) {
        return new ClusterSource() {
            @Override
            public ClusterView fetch() {
                PveGuest ha = new PveGuest(101, "lxc", "pve1", "running", Optional.empty(), Optional.empty(), Optional.of("started"),
                        List.of(), 2, 0.1, 2048 * MIB, 1024 * MIB);
                return ClusterView.of("pve1", List.of(ha, ct(102, "pve2", null, 4, 4096), ct(104, "pve1", "backup", 2, 1024)),
                        List.of(node("pve1", "online", 3, 8192), node("pve2", "online", 16, 65536), node("pve3", "offline", 64, 262144)),
                        true);
            }

            @Override
            public Map<Integer, PveHaNodeAffinity> haNodeAffinity() {
                asked[0]++;
                return rules.get();
            }
        };
    }

    @Test
    void anHaManagedContainerIsRecommendedOnlyWhereItsHaRuleKeepsIt() throws Exception {
        metrics();
        api.node(SMALL_NODE);
        api.containers(LOCAL_CONTAINERS);
        int[] asked = {0};
        // strict on pve1 and pve3: pve3 is offline, so HA keeps 101 on pve1 and pve2 (which has room) is refused
        ModelDaemon daemon = daemon(haCluster(() -> Map.of(101, new PveHaNodeAffinity("web", Map.of("pve1", 0, "pve3", 0), true, true)),
                asked));
        assertThat(daemon.runCycle().error()).isNull();
        assertThat(journal()).noneMatch(e -> e.path("outcome").asText().equals("recommend_migrate"));
        assertThat(asked[0]).as("rules read once per cycle, when needed").isEqualTo(1);

        // a non-strict rule with none of its nodes available lets HA run it anywhere: pve2
        Files.delete(dir.resolve("suggestions.json"));
        daemon = daemon(haCluster(() -> Map.of(101, new PveHaNodeAffinity("web", Map.of("pve3", 0), false, true)), asked));
        assertThat(daemon.runCycle().error()).isNull();
        assertThat(journal()).filteredOn(e -> e.path("outcome").asText().equals("recommend_migrate"))
                .singleElement().satisfies(e -> assertThat(e.path("to_node").asText()).isEqualTo("pve2"));
    }

    @Test
    void unreadableHaRulesGiveAnHaManagedContainerNoRecommendationAndTheCycleGoesOn() throws Exception {
        metrics();
        api.node(SMALL_NODE);
        api.containers(LOCAL_CONTAINERS);
        int[] asked = {0};
        ModelDaemon daemon = daemon(haCluster(() -> {
            throw new PveApiException(403, "GET /cluster/ha/resources?type=ct: Permission check failed (/, Sys.Audit)");
        }, asked));
        ModelDaemon.CycleReport r = daemon.runCycle();
        assertThat(r.error()).isNull();
        assertThat(journal()).extracting(e -> e.path("container_id").asText() + " " + e.path("outcome").asText())
                .containsExactlyInAnyOrder("101 no-change", "102 skipped", "104 skipped");
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void whenTheProxmoxApiFailsTheCycleGoesOnWithTheLocalView() throws Exception {
        metrics();
        api.node(SMALL_NODE);
        api.containers(LOCAL_CONTAINERS);
        ClusterSource down = () -> {
            throw new PveApiException(0, "GET /cluster/resources?type=vm: I/O error");
        };

        ModelDaemon.CycleReport r = daemon(down).runCycle();

        assertThat(r.error()).isNull();
        List<JsonNode> j = journal();
        // the local view: 101 and 104 decided as without cluster mode (no recommendation), 102 unknown to the local API
        assertThat(j).extracting(e -> e.path("container_id").asText() + " " + e.path("outcome").asText())
                .containsExactlyInAnyOrder("101 no-change", "102 skipped", "104 applied");
        assertThat(j.stream().filter(e -> e.path("container_id").asText().equals("102")).findFirst().orElseThrow()
                .path("reason").asText()).contains("allocation unknown");
    }

    @Test
    void inTheMaintenanceWindowTheRecommendedContainerIsMigratedAndItsTaskFollowedOnTheNextCycle() throws Exception {
        metrics();
        api.node(SMALL_NODE);
        api.containers(LOCAL_CONTAINERS);
        List<String> calls = new ArrayList<>();
        String upid = "UPID:pve1:00001234:00005678:66C1F000:vzmigrate:101:autoscale@pve!ml:";
        Migrations.MigrationApi proxmox = new Migrations.MigrationApi() {
            @Override
            public String startRestartMigration(String node, int vmid, String target) {
                calls.add("migrate " + node + " " + vmid + " " + target);
                return upid;
            }

            @Override
            public PveTaskStatus taskStatus(String node, String id) {
                calls.add("status " + node + " " + id);
                return new PveTaskStatus(id, node, "vzmigrate", "101", "stopped", Optional.of("OK"));
            }
        };
        // the clock reads 10:33:20 UTC (T0 + 2000 s): inside 10:00-11:00
        ModelDaemon daemon = daemon(CLUSTER, "migrate: true, maintenance_window: '10:00-11:00', ", proxmox);

        daemon.runCycle();
        daemon.runCycle(); // the fake cluster still shows 101 on pve1: recommended again, but the window's one migration is used

        assertThat(calls).containsExactly("migrate pve1 101 pve2", "status pve1 " + upid);
        List<String> for101 = journal().stream().filter(e -> e.path("container_id").asText().equals("101"))
                .map(e -> e.path("outcome").asText()).toList();
        assertThat(for101).containsExactly("recommend_migrate", "migrate_started", "no-change",
                "migrate_done", "recommend_migrate", "no-change");
        JsonNode done = journal().stream().filter(e -> e.path("outcome").asText().equals("migrate_done")).findFirst().orElseThrow();
        assertThat(done.path("exitstatus").asText()).isEqualTo("OK");
        assertThat(done.path("to_node").asText()).isEqualTo("pve2");
    }
}
