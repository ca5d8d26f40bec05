package io.lxcautoscale.sim.pveapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated API without HTTP: status, reason phrase and body of each answer, compared with the samples Proxmox
 * gives (docs/reference/proxmox-api.md, "Errors").
 */
class SimPveApiTest {
    private static final String TOKEN = "PVEAPIToken=autoscaler@pve!scaler=5c1f3e2a-8b7d-4a7e-9f10-2b3c4d5e6f70";
    private SimPveCluster cluster;
    private SimPveAccess access;
    private SimPveApi api;

    @BeforeEach
    void setUp() {
        cluster = new SimPveCluster();
        cluster.addNode("pve1", 8, 32L << 30);
        cluster.addNode("pve2", 4, 16L << 30);
        cluster.addContainer(new SimPveContainer(101, "pve1", "web1", "running", 2, 2048, Optional.empty(),
                Optional.empty(), List.of()));
        access = new SimPveAccess("autoscaler@pve!scaler", "5c1f3e2a-8b7d-4a7e-9f10-2b3c4d5e6f70")
                .grant("/", Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU"));
        api = new SimPveApi(cluster, access);
    }

    private SimPveResponse get(String path) {
        return api.handle("GET", "/api2/json" + path, Map.of(), TOKEN, Map.of());
    }

    private SimPveResponse put(String path, Map<String, String> body) {
        return api.handle("PUT", "/api2/json" + path, Map.of(), TOKEN, body);
    }

    private static JsonNode json(SimPveResponse response) throws Exception {
        return Json.mapper().readTree(response.body().orElseThrow());
    }

    @Test
    void missingTokenIsNoTicketAndWrongTokenIsAuthenticationFailedBothWithoutBody() {
        SimPveResponse none = api.handle("GET", "/api2/json/cluster/resources", Map.of(), null, Map.of());
        SimPveResponse wrong = api.handle("GET", "/api2/json/cluster/resources", Map.of(),
                "PVEAPIToken=autoscaler@pve!scaler=00000000-0000-4000-8000-000000000000", Map.of());

        assertThat(none).isEqualTo(SimPveResponse.empty(401, "No ticket"));
        assertThat(wrong).isEqualTo(SimPveResponse.empty(401, "Authentication failed!"));
    }

    @Test
    void tokenHeaderMayUseASpaceAndStopsAtASemicolon() {
        String spaced = "PVEAPIToken autoscaler@pve!scaler=5c1f3e2a-8b7d-4a7e-9f10-2b3c4d5e6f70; other=1";

        assertThat(api.handle("GET", "/api2/json/cluster/resources", Map.of(), spaced, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void permissionErrorNamesPathAndPrivilegeLikeProxmox() throws Exception {
        SimPveResponse response = put("/nodes/pve1/lxc/101/config", Map.of("memory", "4096"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).isEqualTo("Permission check failed (/vms/101, VM.Config.Memory)");
        assertThat(json(response)).isEqualTo(Json.mapper().readTree(
                "{\"data\":null,\"message\":\"Permission check failed (/vms/101, VM.Config.Memory)\\n\"}"));
    }

    @Test
    void lockedContainerAndStaleDigestAre500WithProxmoxTexts() throws Exception {
        String digest = cluster.container(101).orElseThrow().digest();
        cluster.setLock(101, Optional.of("backup"));

        SimPveResponse locked = put("/nodes/pve1/lxc/101/config", Map.of("cores", "3", "digest", digest));
        cluster.setLock(101, Optional.empty());
        cluster.update(101, c -> c.withLimits(2, 1024)); // another writer, e.g. an admin's pct set
        SimPveResponse stale = put("/nodes/pve1/lxc/101/config", Map.of("cores", "3", "digest", digest));

        assertThat(locked.reason()).isEqualTo("CT is locked (backup)");
        assertThat(json(locked)).isEqualTo(Json.mapper().readTree("{\"data\":null,\"message\":\"CT is locked (backup)\\n\"}"));
        assertThat(stale.status()).isEqualTo(500);
        assertThat(json(stale).get("message").asText())
                .isEqualTo("detected modified configuration - file changed by other user? Try again.\n");
    }

    @Test
    void offlineNodeIs595NoRouteToHostWithoutBody() {
        cluster.setOnline("pve1", false);

        assertThat(get("/nodes/pve1/lxc/101/config")).isEqualTo(SimPveResponse.empty(595, "No route to host"));
        assertThat(get("/cluster/resources").status()).isEqualTo(200);
    }

    @Test
    void containerOnAnotherNodeIsConfigFileDoesNotExist() throws Exception {
        SimPveResponse response = get("/nodes/pve2/lxc/101/config");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.reason()).isEqualTo("Configuration file 'nodes/pve2/lxc/101.conf' does not exist");
    }

    @Test
    void parameterErrorsAre400ListingEveryField() throws Exception {
        SimPveResponse response = put("/nodes/pve1/lxc/101/config", Map.of("memory", "8", "cores", "abc", "colour", "red"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.reason()).isEqualTo("Parameter verification failed.");
        JsonNode body = json(response);
        assertThat(body.get("message").asText()).isEqualTo("Parameter verification failed.\n");
        assertThat(body.get("errors").get("memory").asText()).isEqualTo("value must have a minimum value of 16");
        assertThat(body.get("errors").get("cores").asText()).isEqualTo("type check ('integer') failed - got 'abc'");
        assertThat(body.get("errors").get("colour").asText())
                .isEqualTo("property is not defined in schema and the schema does not allow additional properties");
    }

    @Test
    void pathParameterRepeatedWithAnotherValueIsRefused() throws Exception {
        SimPveResponse response = put("/nodes/pve1/lxc/101/config", Map.of("vmid", "102", "cores", "3"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("errors").get("vmid").asText())
                .isEqualTo("duplicate parameter (already defined in URI) with conflicting values!");
    }

    @Test
    void vmidOutsideProxmoxsRangeIsAParameterError() throws Exception {
        SimPveResponse small = get("/nodes/pve1/lxc/99/config");
        SimPveResponse huge = get("/nodes/pve1/lxc/12345678901/config");

        assertThat(json(small).get("errors").get("vmid").asText()).isEqualTo("value must have a minimum value of 100");
        assertThat(json(huge).get("errors").get("vmid").asText()).isEqualTo("value must have a maximum value of 999999999");
    }

    @Test
    void unknownPathOrMethodIs501() throws Exception {
        SimPveResponse unknown = get("/nodes/pve1/lxc/101/foo");
        SimPveResponse head = api.handle("HEAD", "/api2/json/cluster/resources", Map.of(), TOKEN, Map.of());
        SimPveResponse noFormat = api.handle("GET", "/api2", Map.of(), TOKEN, Map.of());

        assertThat(unknown.status()).isEqualTo(501);
        assertThat(unknown.reason()).isEqualTo("Method 'GET /nodes/pve1/lxc/101/foo' not implemented");
        assertThat(head.status()).isEqualTo(501);
        assertThat(head.reason()).isEqualTo("method 'HEAD' not available");
        assertThat(noFormat.reason()).isEqualTo("no such uri");
    }

    @Test
    void migratingARunningContainerNeedsRestartAndTheTargetMustDiffer() throws Exception {
        access.grant("/vms", Set.of("VM.Audit", "VM.Migrate"));

        SimPveResponse noRestart = api.handle("POST", "/api2/json/nodes/pve1/lxc/101/migrate", Map.of(), TOKEN,
                Map.of("target", "pve2"));
        SimPveResponse local = api.handle("POST", "/api2/json/nodes/pve1/lxc/101/migrate", Map.of(), TOKEN,
                Map.of("target", "pve1", "restart", "1"));
        SimPveResponse unknown = api.handle("POST", "/api2/json/nodes/pve1/lxc/101/migrate", Map.of(), TOKEN,
                Map.of("target", "pve9", "restart", "1"));
        SimPveResponse yes = api.handle("POST", "/api2/json/nodes/pve1/lxc/101/migrate", Map.of(), TOKEN,
                Map.of("target", "pve2", "restart", "true"));

        assertThat(noRestart.reason()).isEqualTo("can't migrate running container without --online or --restart");
        assertThat(json(local).get("errors").get("target").asText()).isEqualTo("target is local node.");
        assertThat(unknown.reason()).isEqualTo("no such cluster node 'pve9'");
        assertThat(json(yes).get("errors").get("restart").asText()).isEqualTo("type check ('boolean') failed - got 'true'");
    }

    @Test
    void taskStatusOnAnotherNodeIsNoSuchTask() throws Exception {
        access.grant("/vms", Set.of("VM.Audit", "VM.Migrate"));
        String upid = json(api.handle("POST", "/api2/json/nodes/pve1/lxc/101/migrate", Map.of(), TOKEN,
                Map.of("target", "pve2", "restart", "1"))).get("data").asText();

        SimPveResponse elsewhere = get("/nodes/pve2/tasks/" + upid + "/status");

        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(json(elsewhere).get("errors").get("upid").asText()).isEqualTo("no such task");
        assertThat(json(get("/nodes/pve1/tasks/" + upid + "/status")).get("data").get("user").asText())
                .isEqualTo("autoscaler@pve");
    }

    @Test
    void clusterResourcesListsGuestIdsInStringOrder() throws Exception {
        cluster.addContainer(new SimPveContainer(1000, "pve2", "big", "stopped", 1, 512, Optional.empty(),
                Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(200, "pve2", "mid", "stopped", 1, 512, Optional.empty(),
                Optional.empty(), List.of()));

        JsonNode data = json(get("/cluster/resources")).get("data");

        assertThat(data.findValuesAsText("id")).startsWith("lxc/1000", "lxc/101", "lxc/200");
    }
}
