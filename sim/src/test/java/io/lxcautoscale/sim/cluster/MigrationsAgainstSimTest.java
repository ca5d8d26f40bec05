package io.lxcautoscale.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.cluster.ClusterView;
import io.lxcautoscale.model.cluster.Migrations;
import io.lxcautoscale.model.cluster.PlacementAdvisor;
import io.lxcautoscale.model.cluster.PveClusterSource;
import io.lxcautoscale.sim.pveapi.SimPveAccess;
import io.lxcautoscale.sim.pveapi.SimPveApi;
import io.lxcautoscale.sim.pveapi.SimPveApiServer;
import io.lxcautoscale.sim.pveapi.SimPveCertificates;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in migrations ({@code cluster.migrate}) against the simulated Proxmox API over HTTPS, through the model's own
 * configuration, token file and CA file. The simulated tasks run until the test ends them ({@link SimPveCluster#finishTasks}),
 * so "still running" and "ended" are both seen without waiting. Window 02:00-04:00 in UTC.
 */
class MigrationsAgainstSimTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String TOKEN_ID = "autoscale@pve!ml";
    private static final String SECRET = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
    private static final Instant IN_WINDOW = Instant.parse("2026-12-05T02:30:00Z");
    private static final Instant OUTSIDE = Instant.parse("2026-12-05T12:00:00Z");

    /** keytool takes seconds: one CA and node certificate for the whole class. */
    @TempDir
    static Path certificatesDir;
    private static SimPveCertificates certificates;
    @TempDir
    Path dir;
    private SimPveApiServer server;
    private final SimPveCluster cluster = new SimPveCluster();
    private ModelConfig config;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = SimPveCertificates.create(certificatesDir, "Simulated Proxmox CA", "pve1");
    }

    @BeforeEach
    void start() throws Exception {
        // pve1 is small and full; pve2 has room for what 101 and 102 want
        cluster.addNode("pve1", 8, 16 * GIB);
        cluster.addNode("pve2", 32, 128 * GIB);
        cluster.addContainer(new SimPveContainer(101, "pve1", "busy", "running", 4, 8192, Optional.empty(), Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(102, "pve1", "busy2", "running", 2, 4096, Optional.empty(), Optional.empty(), List.of()));
        SimPveAccess access = new SimPveAccess(TOKEN_ID, SECRET).grant("/", Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU",
                "VM.Config.Memory", "VM.Migrate"));
        server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
        Path token = access.writeTokenFile(dir.resolve("pve_api_token"));
        config = ConfigLoader.parse("ml.yaml", "cluster: {enabled: true, node: pve1, api_url: 'https://localhost:" + server.port()
                + "', token_file: '" + token + "', ca_file: '" + certificates.caPem() + "', migrate: true, "
                + "maintenance_window: '02:00-04:00'}", ModelConfig::bind).config();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private PveClusterSource source() {
        return PveClusterSource.of(config.cluster(), "ml.yaml");
    }

    private Migrations migrations(PveClusterSource source) {
        return new Migrations(source.migrationApi(), config.cluster().migration(), ZoneOffset.UTC);
    }

    /** Container {@code vmid}'s recommendation from the view (it wants 6 cores and 12 GiB). */
    private PlacementAdvisor.Recommendation recommendation(ClusterView view, String vmid) {
        return new PlacementAdvisor(config.policy().node(), config.cluster().noMigrateTag())
                .advise(view, vmid, 6, 12288, "node capacity: cores capped").orElseThrow();
    }

    private static String outcome(ObjectNode e) {
        return e.path("container_id").asText() + " " + e.path("outcome").asText();
    }

    @Test
    void insideTheWindowARecommendedContainerIsMigratedInRestartModeAndFollowedToOk() {
        PveClusterSource source = source();
        Migrations m = migrations(source);
        ClusterView view = source.fetch();
        PlacementAdvisor.Recommendation r = recommendation(view, "101");
        assertThat(r.toNode()).isEqualTo("pve2");

        ObjectNode started = m.startIfDue(IN_WINDOW, view, r, 4, 8192).orElseThrow();

        assertThat(outcome(started)).isEqualTo("101 migrate_started");
        assertThat(started.path("from_node").asText()).isEqualTo("pve1");
        assertThat(started.path("to_node").asText()).isEqualTo("pve2");
        assertThat(started.path("upid").asText()).startsWith("UPID:pve1:");
        assertThat(started.path("cores_before").asInt()).isEqualTo(4);
        assertThat(started.path("memory_mb_after").asInt()).isEqualTo(8192);
        assertThat(server.requestCount("POST /api2/json/nodes/pve1/lxc/101/migrate")).isEqualTo(1);
        // restart mode: the simulated Proxmox shut it down and holds the migrate lock while the task runs
        SimPveContainer moving = cluster.container(101).orElseThrow();
        assertThat(moving.lock()).contains("migrate");
        assertThat(moving.status()).isEqualTo("stopped");
        assertThat(m.follow(IN_WINDOW.plusSeconds(10))).isEmpty(); // still running: nothing to journal, nothing waited for
        assertThat(m.following()).isEqualTo(1);

        cluster.finishTasks();
        List<ObjectNode> ended = m.follow(IN_WINDOW.plusSeconds(20));

        assertThat(ended).extracting(MigrationsAgainstSimTest::outcome).containsExactly("101 migrate_done");
        assertThat(ended.get(0).path("exitstatus").asText()).isEqualTo("OK");
        assertThat(ended.get(0).path("upid").asText()).isEqualTo(started.path("upid").asText());
        assertThat(m.following()).isZero();
        SimPveContainer moved = cluster.container(101).orElseThrow();
        assertThat(moved.node()).isEqualTo("pve2");
        assertThat(moved.status()).isEqualTo("running");
        assertThat(moved.lock()).isEmpty();
    }

    @Test
    void outsideTheWindowNothingIsMigrated() {
        container101IsNotMigratedAt(OUTSIDE, Instant.parse("2026-12-05T04:00:00Z")); // 04:00: the end is excluded
        assertThat(cluster.container(101).orElseThrow().lock()).isEmpty();
    }

    @Test
    void oneMigrationPerWindowThenTheNextNightsWindowAllowsAnother() {
        PveClusterSource source = source();
        Migrations m = migrations(source);
        ClusterView view = source.fetch();
        assertThat(m.startIfDue(IN_WINDOW, view, recommendation(view, "101"), 4, 8192)).isPresent();
        cluster.finishTasks();
        assertThat(m.follow(IN_WINDOW.plusSeconds(30))).extracting(MigrationsAgainstSimTest::outcome).containsExactly("101 migrate_done");

        ClusterView later = source.fetch();
        assertThat(m.startIfDue(IN_WINDOW.plusSeconds(60), later, recommendation(later, "102"), 2, 4096)).isEmpty();
        assertThat(cluster.container(102).orElseThrow().node()).isEqualTo("pve1");

        Instant nextNight = IN_WINDOW.plusSeconds(24 * 3600);
        assertThat(m.startIfDue(nextNight, later, recommendation(later, "102"), 2, 4096).map(MigrationsAgainstSimTest::outcome))
                .contains("102 migrate_started");
    }

    /** With the cluster as it is now, at each of {@code times}: 101's recommended migration is not even asked for. */
    private void container101IsNotMigratedAt(Instant... times) {
        PveClusterSource source = source();
        Migrations m = migrations(source);
        ClusterView view = source.fetch();

        for (Instant t : times) {
            assertThat(m.startIfDue(t, view, recommendation(view, "101"), 4, 8192)).as("at %s", t).isEmpty();
        }

        assertThat(server.requestCount("POST /api2/json/nodes/pve1/lxc/101/migrate")).isZero();
        assertThat(cluster.container(101).orElseThrow().node()).isEqualTo("pve1");
    }

    @Test
    void aLockedContainerIsNotMigrated() {
        cluster.setLock(101, Optional.of("backup"));
        container101IsNotMigratedAt(IN_WINDOW);
    }

    @Test
    void noMigrationStartsWhileAnotherGuestIsBeingMoved() {
        cluster.setLock(102, Optional.of("migrate"));
        container101IsNotMigratedAt(IN_WINDOW);
    }

    @Test
    void aTaskThatEndsInAnErrorIsJournaledAsFailedWithProxmoxsExitStatus() {
        PveClusterSource source = source();
        Migrations m = migrations(source);
        ClusterView view = source.fetch();
        cluster.setLock(101, Optional.of("backup")); // a backup starts between the cycle's view and the migration

        assertThat(m.startIfDue(IN_WINDOW, view, recommendation(view, "101"), 4, 8192).map(MigrationsAgainstSimTest::outcome))
                .contains("101 migrate_started");
        cluster.finishTasks();
        List<ObjectNode> ended = m.follow(IN_WINDOW.plusSeconds(20));

        assertThat(ended).extracting(MigrationsAgainstSimTest::outcome).containsExactly("101 migrate_failed");
        assertThat(ended.get(0).path("exitstatus").asText()).isEqualTo("migration aborted");
        assertThat(cluster.container(101).orElseThrow().node()).isEqualTo("pve1");
    }

    @Test
    void aTaskNotSeenEndedWithinTheTimeoutIsJournaledAsFailedAndNoLongerFollowed() {
        PveClusterSource source = source();
        Migrations m = migrations(source);
        ClusterView view = source.fetch();
        m.startIfDue(IN_WINDOW, view, recommendation(view, "101"), 4, 8192).orElseThrow();

        assertThat(m.follow(IN_WINDOW.plusSeconds(3600))).isEmpty(); // the default timeout, 3600 s, not yet passed
        List<ObjectNode> late = m.follow(IN_WINDOW.plusSeconds(3601));

        assertThat(late).extracting(MigrationsAgainstSimTest::outcome).containsExactly("101 migrate_failed");
        assertThat(late.get(0).path("reason").asText()).contains("not seen ended after 3601 s");
        assertThat(m.following()).isZero();
    }

    @Test
    void theStartUpCheckNamesVmMigrateWhenMigrationsAreOn() throws Exception {
        server.close();
        SimPveAccess access = new SimPveAccess(TOKEN_ID, SECRET).grant("/", Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU",
                "VM.Config.Memory"));
        server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
        config = ConfigLoader.parse("ml.yaml", "cluster: {enabled: true, node: pve1, api_url: 'https://localhost:" + server.port()
                + "', token_file: '" + dir.resolve("pve_api_token") + "', ca_file: '" + certificates.caPem() + "', migrate: true, "
                + "maintenance_window: '02:00-04:00'}", ModelConfig::bind).config();

        assertThat(source().missingPrivileges()).containsExactly("VM.Migrate on /vms");
    }
}
