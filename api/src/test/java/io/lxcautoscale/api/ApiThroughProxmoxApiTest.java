package io.lxcautoscale.api;

import static io.lxcautoscale.api.pve.SimProxmoxCluster.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.api.pve.SimProxmoxCluster;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.testing.DaemonProcess;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API daemon with {@code proxmox.backend: api} against a simulated 3-node Proxmox cluster over real HTTPS
 * ({@link SimProxmoxCluster}): containers on other nodes are scaled and read, Proxmox's refusals become the documented
 * answers, routes the backend does not serve answer 501, and {@code --check-config} names a missing privilege.
 * Expected values come from the cluster's setup; the local {@code pct} stand-in must never run.
 */
class ApiThroughProxmoxApiTest {
    @TempDir
    Path dir;
    private SimProxmoxCluster pve;
    private ApiHarness api;

    private ApiHarness start(Set<String> privileges) throws Exception {
        pve = new SimProxmoxCluster(dir, privileges);
        api = new ApiHarness(dir, pve.proxmoxYaml());
        return api;
    }

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            assertThat(api.node.pctCalls()).as("the local pct is not used with proxmox.backend: api").isEmpty();
            api.close();
        }
        if (pve != null) {
            pve.close();
        }
    }

    private SimPveContainer ct(int vmid) {
        return pve.cluster.container(vmid).orElseThrow();
    }

    @Test
    void scalesCoresAndMemoryOfAContainerOnAnotherNodeAndReadsThemBack() throws Exception {
        start(SimProxmoxCluster.ROLE);

        ApiHarness.Reply cores = api.post("/scale/cores", "{\"vm_id\":202,\"cores\":3}");
        assertThat(cores.status()).as(cores.body()).isEqualTo(200);
        assertThat(cores.json().path("data").path("previous_cores").asInt()).isEqualTo(2);
        ApiHarness.Reply up = api.post("/scale/ram", "{\"vm_id\":202,\"memory\":3072}");
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(ct(202).cores()).isEqualTo(3);
        assertThat(ct(202).memoryMib()).isEqualTo(3072);
        assertThat(ct(202).node()).isEqualTo("pve2");
        assertThat(pve.requests("PUT /api2/json/nodes/pve2/lxc/202/config")).isEqualTo(2);

        // a decrease is checked against the use Proxmox reports (512 MiB in the setup): 1024 passes, 256 does not
        assertThat(api.post("/scale/ram", "{\"vm_id\":202,\"memory\":1024}").status()).isEqualTo(200);
        ApiHarness.Reply tooLow = api.post("/scale/ram", "{\"vm_id\":202,\"memory\":256}");
        assertThat(tooLow.status()).isEqualTo(409);
        assertThat(tooLow.json().path("message").asText()).contains("uses 512 MB");
        assertThat(ct(202).memoryMib()).isEqualTo(1024);

        JsonNode config = api.get("/resource/lxc/config?vm_id=202").json().path("data");
        assertThat(config.path("cores").asInt()).isEqualTo(3);
        assertThat(config.path("memory_mb").asInt()).isEqualTo(1024);
        assertThat(config.path("hostname").asText()).isEqualTo("remote1");

        assertThat(api.post("/scale/swap", "{\"vm_id\":301,\"swap\":256}").status()).isEqualTo(200);
        assertThat(ct(301).swapMib()).isEqualTo(256);
    }

    @Test
    void theModelsReadRoutesWork() throws Exception {
        start(SimProxmoxCluster.ROLE);

        ApiHarness.Reply configs = api.get("/resource/lxc/configs");
        assertThat(configs.status()).as(configs.body()).isEqualTo(200);
        JsonNode data = configs.json().path("data");
        assertThat(data.path("node").asText()).isEqualTo(SimProxmoxCluster.LOCAL_NODE);
        List<Integer> ids = new ArrayList<>();
        data.path("containers").forEach(c -> ids.add(c.path("vmid").asInt()));
        assertThat(ids).as("only this node's containers").containsExactly(101);
        JsonNode local = data.path("containers").get(0);
        assertThat(local.path("status").asText()).isEqualTo("running");
        assertThat(local.path("cores").asInt()).isEqualTo(2);
        assertThat(local.path("memory_mb").asInt()).isEqualTo(1024);
        assertThat(local.path("tags").toString()).isEqualTo("[\"web\"]");

        JsonNode status = api.get("/resource/lxc/status?vm_id=301").json().path("data");
        assertThat(status.path("status").asText()).isEqualTo("running");
        assertThat(status.path("name").asText()).isEqualTo("far1");
        assertThat(api.get("/resource/lxc/status?vm_id=203").json().path("data").path("status").asText()).isEqualTo("stopped");

        ApiHarness.Reply node = api.get("/resource/node/status?node_name=pve2");
        assertThat(node.status()).as(node.body()).isEqualTo(200);
        assertThat(node.json().path("data").path("cpuinfo").path("cpus").asInt()).isEqualTo(4);
        assertThat(node.json().path("data").path("memory").path("total").asLong()).isEqualTo(16 * GIB);
        assertThat(api.get("/resource/node/status").json().path("data").path("cpuinfo").path("cpus").asInt()).isEqualTo(8);
        assertThat(api.get("/resource/node/status?node_name=pve9").status()).isEqualTo(404);

        JsonNode health = api.get("/health/check").json();
        assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("healthy");
    }

    @Test
    void lockedIs409AndUnknownIs404() throws Exception {
        start(SimProxmoxCluster.ROLE);

        ApiHarness.Reply locked = api.post("/scale/cores", "{\"vm_id\":203,\"cores\":2}");
        assertThat(locked.status()).isEqualTo(409);
        assertThat(locked.json().path("status").asText()).isEqualTo("error");
        assertThat(locked.json().path("message").asText()).contains("locked", "backup");
        assertThat(ct(203).cores()).isEqualTo(1);

        ApiHarness.Reply unknown = api.post("/scale/ram", "{\"vm_id\":999,\"memory\":1024}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("999");
        assertThat(api.get("/resource/lxc/status?vm_id=999").status()).isEqualTo(404);
    }

    @Test
    void anOfflineNodeIs503NamingIt() throws Exception {
        start(SimProxmoxCluster.ROLE);
        pve.cluster.setOnline("pve3", false);

        ApiHarness.Reply r = api.post("/scale/cores", "{\"vm_id\":301,\"cores\":2}");
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.json().path("message").asText()).contains("'pve3'");
        assertThat(ct(301).cores()).isEqualTo(1);
        ApiHarness.Reply node = api.get("/resource/node/status?node_name=pve3");
        assertThat(node.status()).isEqualTo(503);
        assertThat(node.json().path("message").asText()).contains("'pve3'");
        // the other nodes still answer
        assertThat(api.post("/scale/cores", "{\"vm_id\":202,\"cores\":4}").status()).isEqualTo(200);
        assertThat(ct(202).cores()).isEqualTo(4);
    }

    @Test
    void aMissingPrivilegeIs403NamingIt() throws Exception {
        start(Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU"));

        ApiHarness.Reply ram = api.post("/scale/ram", "{\"vm_id\":202,\"memory\":4096}");
        assertThat(ram.status()).as(ram.body()).isEqualTo(403);
        assertThat(ram.json().path("message").asText()).contains("VM.Config.Memory", "/vms/202");
        assertThat(ct(202).memoryMib()).isEqualTo(2048);
        assertThat(api.post("/scale/cores", "{\"vm_id\":202,\"cores\":1}").status()).isEqualTo(200);
        assertThat(ct(202).cores()).isEqualTo(1);
    }

    @Test
    void routesTheBackendDoesNotServeAnswer501NamingRouteAndBackend() throws Exception {
        start(SimProxmoxCluster.ROLE);

        for (ApiHarness.Reply r : List.of(api.post("/snapshot/create", "{\"vm_id\":202,\"snapshot_name\":\"s1\"}"),
                api.get("/snapshot/list?vm_id=202"), api.post("/clone/create", "{\"vm_id\":202,\"new_vm_id\":210}"),
                api.post("/scale/storage/increase", "{\"vm_id\":202,\"disk_size\":1}"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(501);
            assertThat(r.json().path("status").asText()).isEqualTo("error");
            assertThat(r.json().path("message").asText()).contains("proxmox.backend: api", "not implemented");
        }
        assertThat(api.get("/snapshot/list?vm_id=202").json().path("message").asText()).startsWith("GET /snapshot/list ");
        assertThat(pve.requests("PUT /api2/json/nodes/pve2/lxc/202/config")).isZero();
    }

    @Test
    void clusterStatusComesFromTheProxmoxApiWithEveryMemberAndQuorum() throws Exception {
        start(SimProxmoxCluster.ROLE);
        pve.cluster.setOnline("pve3", false);

        ApiHarness.Reply r = api.get("/resource/cluster/status");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode data = r.json().path("data");
        // one cluster entry: 3 members, 2 online, so quorate; then the members in the order they joined
        assertThat(data.get(0).path("type").asText()).isEqualTo("cluster");
        assertThat(data.get(0).path("nodes").asInt()).isEqualTo(3);
        assertThat(data.get(0).path("quorate").asInt()).isEqualTo(1);
        assertThat(data.size()).isEqualTo(4);
        assertThat(data.get(1).path("name").asText()).isEqualTo("pve");
        assertThat(data.get(1).path("local").asInt()).isEqualTo(1);
        assertThat(data.get(3).path("name").asText()).isEqualTo("pve3");
        assertThat(data.get(3).path("online").asInt()).isZero();
        assertThat(pve.requests("GET /api2/json/cluster/status")).isEqualTo(1);
    }

    @Test
    void clusterStatusWithoutSysAuditOnTheRootIs403NamingIt() throws Exception {
        start(Set.of("VM.Audit", "VM.Config.CPU", "VM.Config.Memory"));
        ApiHarness.Reply r = api.get("/resource/cluster/status");
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().path("message").asText()).contains("Sys.Audit");
    }

    @Test
    void checkConfigNamesAMissingPrivilegeAndPassesWithTheFullRole() throws Exception {
        pve = new SimProxmoxCluster(dir, Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU"));
        Path cfg = dir.resolve("api.yaml");
        Files.writeString(cfg, pve.proxmoxYaml());

        DaemonProcess.Result r = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--config", cfg.toString(),
                "--check-config");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains(cfg.toString(), "proxmox.token_file", "VM.Config.Memory on /vms");
        assertThat(r.stderr()).doesNotContain("VM.Config.CPU on", "Sys.Audit on");
    }

    @Test
    void checkConfigPassesWithTheFullRole() throws Exception {
        pve = new SimProxmoxCluster(dir, SimProxmoxCluster.ROLE);
        Path cfg = dir.resolve("api.yaml");
        Files.writeString(cfg, pve.proxmoxYaml());

        DaemonProcess.Result r = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--config", cfg.toString(),
                "--check-config");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("backend: api");
    }

    @Test
    void badProxmoxKeysAreConfigErrorsNamingFileKeyAndReason() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml",
                "proxmox: {backend: ssh, api_url: 'http://pve1:8006', fingerprint: 'AB:CD', timeout_seconds: 0}\n", ApiConfig::bind))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("api.yaml", "proxmox.backend", "pct", "proxmox.api_url", "https://",
                        "proxmox.fingerprint", "proxmox.timeout_seconds");

        Path missing = dir.resolve("no-token");
        ApiConfig config = ConfigLoader.parse("api.yaml", "server: {port: 0}\naudit: {enabled: false}\nauthentication: {enabled: false}\n"
                + "proxmox: {backend: api, token_file: " + missing + "}\n", ApiConfig::bind).config();
        assertThatThrownBy(() -> ApiServer.create(config, "api.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("api.yaml", "proxmox.token_file", missing.toString());
    }
}
