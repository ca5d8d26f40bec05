package io.lxcautoscale.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.cluster.ClusterView;
import io.lxcautoscale.model.cluster.PlacementAdvisor;
import io.lxcautoscale.model.cluster.PveClusterSource;
import io.lxcautoscale.sim.pveapi.SimPveAccess;
import io.lxcautoscale.sim.pveapi.SimPveApi;
import io.lxcautoscale.sim.pveapi.SimPveApiServer;
import io.lxcautoscale.sim.pveapi.SimPveCertificates;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's cluster view and placement advice read over HTTPS from the simulated Proxmox API, through the model's
 * own configuration ({@code cluster.*}), token file and CA file.
 */
class ClusterModeAgainstSimTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String TOKEN_ID = "autoscale@pve!ml";
    private static final String SECRET = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

    @TempDir
    Path dir;
    private SimPveApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneRequestGivesTheRulesAndTheNodeWithRoom() throws Exception {
        SimPveCluster cluster = new SimPveCluster();
        cluster.addNode("pve1", 8, 16 * GIB);
        cluster.addNode("pve2", 16, 64 * GIB);
        cluster.addNode("pve3", 16, 64 * GIB);
        cluster.addNode("pve4", 64, 256 * GIB);
        cluster.setNodeHaState("pve3", Optional.of("maintenance"));
        cluster.setOnline("pve4", false);
        cluster.addContainer(new SimPveContainer(101, "pve1", "busy", "running", 4, 8192, Optional.empty(), Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(102, "pve2", "db", "running", 4, 4096, Optional.empty(), Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(103, "pve1", "saved", "running", 1, 512, Optional.of("backup"), Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(104, "pve1", "moving", "running", 1, 512, Optional.empty(), Optional.of("migrate"), List.of()));
        SimPveAccess access = new SimPveAccess(TOKEN_ID, SECRET).grant("/", Set.of("Sys.Audit", "VM.Audit"));
        SimPveCertificates certificates = SimPveCertificates.create(Files.createDirectory(dir.resolve("certs")), "Simulated Proxmox CA", "pve1");
        server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
        Path token = access.writeTokenFile(dir.resolve("pve_api_token"));
        ModelConfig config = ConfigLoader.parse("ml.yaml", "cluster: {enabled: true, node: pve1, api_url: 'https://localhost:"
                + server.port() + "', token_file: '" + token + "', ca_file: '" + certificates.caPem() + "'}", ModelConfig::bind).config();

        PveClusterSource source = PveClusterSource.of(config.cluster(), "ml.yaml");
        ClusterView view = source.fetch();

        assertThat(server.requestCount("GET /api2/json/cluster/resources")).isEqualTo(1);
        assertThat(server.totalRequests()).isEqualTo(1);
        assertThat(view.skipReason("101")).isNull();
        assertThat(view.skipReason("102")).isEqualTo("skipped: runs on node pve2, whose model decides for it");
        assertThat(view.skipReason("103")).isEqualTo("skipped: locked (backup)");
        assertThat(view.skipReason("104")).isEqualTo("skipped: HA state 'migrate' (HA is moving or recovering it)");
        assertThat(view.node("pve1").orElseThrow().allocatedCores()).isEqualTo(4 + 1 + 1);
        assertThat(view.node("pve1").orElseThrow().allocatedMemoryMb()).isEqualTo(8192 + 512 + 512);

        // 101 wants 6 cores and 12 GiB. pve2: (16 − 1) × 4 = 60 slots − 4 − 6 = 50 left; 65536 − 2048 − 4096 − 12288 = 47104 MiB
        PlacementAdvisor advisor = new PlacementAdvisor(config.policy().node(), config.cluster().noMigrateTag());
        PlacementAdvisor.Recommendation r = advisor.advise(view, "101", 6, 12288, "node capacity: cores capped at 4").orElseThrow();
        assertThat(r.toNode()).isEqualTo("pve2");
        assertThat(r.reason()).contains("pve2 has the most room after the move: 50 of 60 core slots and 47104 of 63488 MiB free")
                .endsWith("; not pve3 (HA state maintenance), pve4 (offline)");

        // the token was given only what the model reads: the rest of the role is named
        assertThat(source.missingPrivileges()).containsExactly("VM.Config.CPU on /vms", "VM.Config.Memory on /vms");
    }
}
