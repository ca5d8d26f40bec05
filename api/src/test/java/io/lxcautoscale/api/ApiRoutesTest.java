package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.ApiHarness.Reply;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.security.ApiKeys;
import io.lxcautoscale.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every route through real HTTP against stand-in pct/pvesh executables: success, validation, auth and failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoutesTest {
    static final String CONF_101 = ""
            + "#web server\n"
            + "arch: amd64\n"
            + "cores: 2\n"
            + "hostname: web1\n"
            + "memory: 2048\n"
            + "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth\n"
            + "parent: before-upgrade\n"
            + "rootfs: local-lvm:vm-101-disk-0,size=8G\n"
            + "swap: 512\n"
            + "tags: prod;web\n"
            + "\n"
            + "[before-upgrade]\n"
            + "arch: amd64\n"
            + "cores: 1\n"
            + "snaptime: 1735689600\n";

    @TempDir
    static Path dir;
    ApiHarness api;
    StandInNode node;

    @BeforeAll
    void start() throws Exception {
        api = new ApiHarness(dir, "");
        node = api.node;
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @BeforeEach
    void containers() throws Exception {
        try (var files = Files.list(node.confDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        try (var files = Files.list(node.state)) {
            for (Path f : files.toList()) {
                if (!Files.isDirectory(f)) {
                    Files.delete(f);
                }
            }
        }
        node.container(101, CONF_101);
        node.container(102, "arch: amd64\nhostname: db1\nlock: backup\nmemory: 1024\nrootfs: local-lvm:vm-102-disk-0,size=4G\n");
        node.stopped(102, true);
        node.container(110, "hostname: keep\nmemory: 512\nprotection: 1\nrootfs: local-lvm:vm-110-disk-0,size=4G\n");
        node.clearCalls();
    }

    private List<List<String>> calls() throws Exception {
        return node.pctCalls();
    }

    @Test
    void batchConfigsFollowTheModelContractWithOnePctListCall() throws Exception {
        Reply r = api.get("/resource/lxc/configs");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("data").path("node").asText()).isEqualTo("pve");
        JsonNode expected101 = Json.mapper().readTree("{\"vmid\":101,\"status\":\"running\",\"name\":\"web1\",\"cores\":2,\"cpulimit\":0.0,"
                + "\"memory_mb\":2048,\"swap_mb\":512,\"lock\":null,\"tags\":[\"prod\",\"web\"],\"template\":false}");
        JsonNode containers = body.path("data").path("containers");
        assertThat(containers).hasSize(3);
        assertThat(containers.get(0)).isEqualTo(expected101);
        JsonNode c102 = containers.get(1);
        assertThat(c102.path("vmid").asInt()).isEqualTo(102);
        assertThat(c102.path("status").asText()).isEqualTo("stopped");
        assertThat(c102.path("lock").asText()).isEqualTo("backup");
        assertThat(c102.get("cores").isNull()).as("absent cores = all host CPUs = null").isTrue();
        assertThat(c102.path("swap_mb").asInt()).isZero();
        assertThat(calls()).containsExactly(List.of("list"));
    }

    @Test
    void scaleCoresRunsPctSetAndAcceptsEqualAliases() throws Exception {
        Reply r = api.post("/scale/cores", "{\"vm_id\":101,\"cores\":3}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("message").asText()).isEqualTo("CPU cores set to 3 for container 101");
        assertThat(r.json().path("data").path("previous_cores").asInt()).isEqualTo(2);
        Reply both = api.post("/scale/cores", "{\"lxc_id\":101,\"vm_id\":101,\"cores\":4}");
        assertThat(both.status()).isEqualTo(200);
        Reply alias = api.post("/scale/cores", "{\"container_id\":101,\"cores\":5}");
        assertThat(alias.status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("set", "101", "-cores", "3"), List.of("set", "101", "-cores", "4"),
                List.of("set", "101", "-cores", "5"));
        Reply differ = api.post("/scale/cores", "{\"lxc_id\":102,\"vm_id\":101,\"cores\":4}");
        assertThat(differ.status()).isEqualTo(400);
        assertThat(differ.json().path("errors").toString()).contains("Conflicting values for vm_id");
        assertThat(api.server.metrics().scrape()).contains("lxc_autoscale_scaling_actions_total{direction=\"up\",resource=\"cpu\"}");
    }

    @Test
    void scaleCoresValidationListsEveryError() throws Exception {
        Reply r = api.post("/scale/cores", "{\"vm_id\":\"101\",\"cores\":1.5,\"extra\":1}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).isEqualTo("Validation failed");
        assertThat(r.json().path("errors")).hasSize(3);
        assertThat(r.json().path("errors").toString()).contains("vm_id must be a JSON integer", "cores must be a JSON integer",
                "Unknown field: extra");
        assertThat(api.post("/scale/cores", "{}").json().path("errors").toString())
                .contains("Missing required field: vm_id", "Missing required field: cores");
        assertThat(api.post("/scale/cores", "{\"vm_id\":99,\"cores\":0}").json().path("errors").toString())
                .contains("Container ID must be between 100 and 999999999, got 99", "Cores must be between 1 and 128, got 0");
        assertThat(api.post("/scale/cores", "{\"vm_id\":101,\"cores\":129}").status()).isEqualTo(400);
        assertThat(api.post("/scale/cores", "{\"vm_id\":true,\"cores\":null}").json().path("errors").toString())
                .contains("the boolean true", "cores must not be null");
        assertThat(calls()).isEmpty();
    }

    @Test
    void scaleRamRefusesBelowUsedPlusHeadroom() throws Exception {
        // used = 1536 MiB current - 512 MiB page cache = 1024 MiB; floor = 1024 + max(64, 102.4) = 1126.4, rounded up 1127
        node.usedMemory(101, 1536L << 20, 512L << 20);
        Reply low = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":1100}");
        assertThat(low.status()).isEqualTo(409);
        assertThat(low.json().path("message").asText()).contains("uses 1024 MB", "at least 1127 MB", "OOM");
        Reply ok = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":1200}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("message").asText()).isEqualTo("RAM set to 1200 MB for container 101");
        assertThat(ok.json().path("data").path("previous_memory_mb").asInt()).isEqualTo(2048);
        assertThat(calls()).containsExactly(List.of("set", "101", "-memory", "1200"));
        assertThat(api.post("/scale/ram", "{\"vm_id\":101,\"memory\":8}").json().path("errors").toString())
                .contains("Memory must be between 16 and 1048576 MB, got 8");
        assertThat(api.server.metrics().scrape()).contains("lxc_autoscale_scaling_failures_total{reason=\"409\",resource=\"memory\"}");
    }

    @Test
    void theMemoryFloorCountsTmpfsThatCannotBeGivenBack() throws Exception {
        // 1536 MiB charged, 1024 MiB of it "file" but 900 MiB of that is tmpfs (shmem): Proxmox's figure says
        // 1536 - 1024 = 512 MiB used, yet anon 500 + shmem 900 + kernel 12 = 1412 MiB cannot be reclaimed without swap.
        // floor = 1412 + max(64, 141.2) = 1553.2, rounded up 1554
        node.usedMemory(101, 1536L << 20, 1024L << 20, 500L << 20, 900L << 20, 12L << 20);
        Reply low = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":1000}");
        assertThat(low.status()).as(low.body()).isEqualTo(409);
        assertThat(low.json().path("message").asText()).contains("1412 MB it cannot give back", "at least 1554 MB");
        assertThat(calls()).isEmpty();
        assertThat(api.post("/scale/ram", "{\"vm_id\":101,\"memory\":1554}").status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("set", "101", "-memory", "1554"));
    }

    @Test
    void theMemoryFloorGuardsDecreasesOnlyAndTheSameValueIsANoOp() throws Exception {
        // used = 2000 MiB of its 2048: the floor, 2000 + max(64, 200) = 2200, is above the allocation itself
        node.usedMemory(101, 2000L << 20, 0);
        Reply same = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":2048}");
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(calls()).isEmpty();
        Reply up = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":2112}");   // more, though below the floor
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("set", "101", "-memory", "2112"));
    }

    @Test
    void unreadableMemoryUseRefusesADecreaseButAllowsAnIncrease() throws Exception {
        node.usedMemory(101, 1536L << 20, 512L << 20);
        Files.writeString(node.cgroupRoot.resolve("lxc/101/memory.current"), "garbage\n");
        Reply lower = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":1024}");
        assertThat(lower.status()).isEqualTo(409);
        assertThat(lower.json().path("message").asText()).contains("memory use cannot be read");
        assertThat(api.post("/scale/ram", "{\"vm_id\":101,\"memory\":4096}").status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("set", "101", "-memory", "4096"));
    }

    @Test
    void memoryFloorAlsoHoldsOnCgroupV1Hosts() throws Exception {
        // cgroup v1 (Proxmox 6): no cgroup.controllers; used = usage_in_bytes - total_cache = 1024 MiB
        Path v1 = Files.createDirectories(node.cgroupRoot.resolve("memory/lxc/101"));
        Files.writeString(v1.resolve("memory.usage_in_bytes"), (1536L << 20) + "\n");
        Files.writeString(v1.resolve("memory.stat"), "cache 999\nrss 1\ntotal_cache " + (512L << 20) + "\n");
        Reply low = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":1100}");
        assertThat(low.status()).isEqualTo(409);
        assertThat(low.json().path("message").asText()).contains("uses 1024 MB", "at least 1127 MB");
        assertThat(calls()).isEmpty();
    }

    @Test
    void unchangedValueDoesNotRunPct() throws Exception {
        Reply r = api.post("/scale/ram", "{\"vm_id\":101,\"memory\":2048}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(calls()).isEmpty();
    }

    @Test
    void swapAndStorageIncrease() throws Exception {
        assertThat(api.post("/scale/swap", "{\"vm_id\":101,\"swap\":1024}").status()).isEqualTo(200);
        Reply disk = api.post("/scale/storage/increase", "{\"lxc_id\":101,\"disk_size\":2}");
        assertThat(disk.status()).isEqualTo(200);
        assertThat(disk.json().path("message").asText()).isEqualTo("Storage increased by 2 GB for container 101");
        assertThat(calls()).containsExactly(List.of("set", "101", "-swap", "1024"), List.of("resize", "101", "rootfs", "+2G"));
        assertThat(api.post("/scale/storage/increase", "{\"vm_id\":101,\"disk_size\":0}").status()).isEqualTo(400);
    }

    @Test
    void snapshotsCreateListRollbackDelete() throws Exception {
        assertThat(api.post("/snapshot/create", "{\"vm_id\":101,\"snapshot_name\":\"pre-deploy_2\"}").status()).isEqualTo(200);
        assertThat(api.post("/snapshot/create", "{\"vm_id\":101,\"snapshot_name\":\"before-upgrade\"}").status()).isEqualTo(409);
        Reply list = api.get("/snapshot/list?vm_id=101");
        assertThat(list.status()).isEqualTo(200);
        JsonNode snaps = list.json().path("data").path("snapshots");
        assertThat(snaps).hasSize(3);
        assertThat(snaps.get(0).path("name").asText()).isEqualTo("before-upgrade");
        assertThat(snaps.get(0).path("time").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(snaps.get(1).path("parent").asText()).isEqualTo("before-upgrade");
        assertThat(snaps.get(2).path("current").asBoolean()).isTrue();
        assertThat(api.post("/snapshot/rollback", "{\"vm_id\":101,\"snapshot_name\":\"before-upgrade\",\"start\":true}").status()).isEqualTo(200);
        assertThat(api.post("/snapshot/rollback", "{\"vm_id\":101,\"snapshot_name\":\"nope\"}").status()).isEqualTo(404);
        assertThat(api.delete("/snapshot/delete", "{\"vm_id\":101,\"snapshot_name\":\"before-upgrade\"}").status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("snapshot", "101", "pre-deploy_2"), List.of("listsnapshot", "101"),
                List.of("rollback", "101", "before-upgrade", "--start", "1"), List.of("delsnapshot", "101", "before-upgrade"));
        Reply bad = api.post("/snapshot/create", "{\"vm_id\":101,\"snapshot_name\":\"-rf\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(api.post("/snapshot/create", "{\"vm_id\":101,\"snapshot_name\":\"1abc\"}").status()).isEqualTo(400);
        assertThat(api.post("/snapshot/create", "{\"vm_id\":101,\"snapshot_name\":\"a\"}").status()).isEqualTo(400);
        assertThat(api.post("/snapshot/create", "{\"vm_id\":101,\"snapshot_name\":\"a23456789012345678901234567890123456789012\"}").status()).isEqualTo(400);
    }

    @Test
    void cloneOfRunningSourceUsesTemporarySnapshotAndRemovesIt() throws Exception {
        Reply r = api.post("/clone/create", "{\"vm_id\":101,\"new_vm_id\":201,\"new_vm_name\":\"web1-copy\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("status", "101"), List.of("snapshot", "101", "clone-201"),
                List.of("clone", "101", "201", "--hostname", "web1-copy", "--snapname", "clone-201"),
                List.of("delsnapshot", "101", "clone-201"));
    }

    @Test
    void cloneOfStoppedSourceTakesNoSnapshotAndRefusesUsedVmid() throws Exception {
        node.container(103, "hostname: ct103\nmemory: 512\nrootfs: local-lvm:vm-103-disk-0,size=4G\n");
        node.stopped(103, true);
        node.clearCalls();
        Reply r = api.post("/clone/create", "{\"vm_id\":103,\"new_lxc_id\":203,\"hostname\":\"ct203\",\"start\":true}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("status", "103"), List.of("clone", "103", "203", "--hostname", "ct203"),
                List.of("start", "203"));
        node.clearCalls();
        assertThat(api.post("/clone/create", "{\"vm_id\":103,\"new_vm_id\":101,\"new_vm_name\":\"x\"}").status()).isEqualTo(409);
        assertThat(api.post("/clone/create", "{\"vm_id\":103,\"new_vm_id\":103,\"new_vm_name\":\"x\"}").status()).isEqualTo(400);
        assertThat(api.post("/clone/create", "{\"vm_id\":103,\"new_vm_id\":204,\"new_vm_name\":\"bad_name\"}").status()).isEqualTo(400);
        assertThat(calls()).isEmpty();
    }

    @Test
    void deleteStopsRunningContainersDestroysStoppedOnesAndKeepsProtectedOnes() throws Exception {
        node.container(104, "hostname: ct104\nmemory: 512\n");
        node.container(105, "hostname: ct105\nmemory: 512\n");
        node.stopped(105, true);
        node.clearCalls();
        assertThat(api.delete("/clone/delete", "{\"vm_id\":104}").status()).isEqualTo(200);
        assertThat(api.delete("/clone/delete", "{\"vm_id\":105}").status()).isEqualTo(200);
        assertThat(calls()).containsExactly(List.of("status", "104"), List.of("stop", "104"), List.of("destroy", "104"),
                List.of("status", "105"), List.of("destroy", "105"));
        node.clearCalls();
        Reply protectedCt = api.delete("/clone/delete", "{\"vm_id\":110}");
        assertThat(protectedCt.status()).isEqualTo(409);
        assertThat(protectedCt.json().path("message").asText()).contains("protected");
        assertThat(calls()).isEmpty();
    }

    @Test
    void statusAndConfigRoutesIncludingDeprecatedAliases() throws Exception {
        Reply s = api.get("/resource/lxc/status?vm_id=101");
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.json().path("data").path("status").asText()).isEqualTo("running");
        assertThat(api.get("/resource/vm/status?lxc_id=101").json().path("data").path("name").asText()).isEqualTo("web1");
        Reply c = api.get("/resource/lxc/config?lxc_id=101");
        assertThat(c.status()).isEqualTo(200);
        JsonNode data = c.json().path("data");
        assertThat(data.path("lxc_id").asInt()).isEqualTo(101);
        assertThat(data.path("vm_id").asInt()).isEqualTo(101);
        assertThat(data.path("cores").asInt()).isEqualTo(2);
        assertThat(data.path("memory_mb").asInt()).isEqualTo(2048);
        assertThat(data.path("snapshots").get(0).asText()).isEqualTo("before-upgrade");
        assertThat(api.get("/resource/vm/config?vm_id=101").status()).isEqualTo(200);
        // config is read from the file, so only the status routes ran pct
        assertThat(calls()).containsExactly(List.of("status", "101"), List.of("status", "101"));
        assertThat(api.get("/resource/lxc/config?vm_id=10x").status()).isEqualTo(400);
        assertThat(api.get("/resource/lxc/config").json().path("errors").toString()).contains("Missing required field: vm_id");
        assertThat(api.get("/resource/lxc/config?vm_id=101&vm_id=102").status()).isEqualTo(400);
    }

    @Test
    void nodeAndClusterStatusAreParsedJson() throws Exception {
        Reply n = api.get("/resource/node/status");
        assertThat(n.status()).isEqualTo(200);
        assertThat(n.json().path("data").path("cpuinfo").path("cpus").asInt()).isEqualTo(8);
        assertThat(n.json().path("data").path("memory").path("total").asLong()).isEqualTo(33554432000L);
        assertThat(api.get("/resource/node/status?node_name=other-node").status()).isEqualTo(200);
        assertThat(api.get("/resource/node/status?node_name=pve;reboot").status()).isEqualTo(400);
        assertThat(api.get("/resource/node/status?node_name=../../x").status()).isEqualTo(400);
        Reply cl = api.get("/resource/cluster/status");
        assertThat(cl.status()).isEqualTo(200);
        assertThat(cl.json().path("data").get(0).path("type").asText()).isEqualTo("node");
        assertThat(node.pveshCalls()).containsExactly(
                List.of("get", "/nodes/pve/status", "--output-format", "json"),
                List.of("get", "/nodes/other-node/status", "--output-format", "json"),
                List.of("get", "/cluster/status", "--output-format", "json"));
    }

    @Test
    void aNodeOutsideTheClusterIs404NamingTheNode() throws Exception {
        Reply r = api.get("/resource/node/status?node_name=no-such-node");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("message").asText()).isEqualTo("Node 'no-such-node' is not a node of this cluster"
                + " (pvesh get failed (exit 255): hostname lookup 'no-such-node' failed - failed to get address info for:"
                + " no-such-node: Name or service not known)");
    }

    @Test
    void missingContainerIs404LockedIs409AndNeitherRunsPct() throws Exception {
        Reply missing = api.post("/scale/cores", "{\"vm_id\":999,\"cores\":2}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("Container 999 does not exist on this node");
        assertThat(api.get("/snapshot/list?vm_id=999").status()).isEqualTo(404);
        Reply locked = api.post("/scale/ram", "{\"vm_id\":102,\"memory\":2048}");
        assertThat(locked.status()).isEqualTo(409);
        assertThat(locked.json().path("message").asText()).contains("locked (backup)");
        assertThat(calls()).isEmpty();
    }

    @Test
    void pctFailureIs502WithStderrAndPctSaysMissingIs404() throws Exception {
        node.fail(101, 255, "unable to hotplug memory: Device or resource busy");
        Reply r = api.post("/scale/cores", "{\"vm_id\":101,\"cores\":3}");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().path("message").asText()).isEqualTo("pct set failed (exit 255): unable to hotplug memory: Device or resource busy");
        node.fail(101, 2, "Configuration file 'nodes/pve/lxc/101.conf' does not exist");
        assertThat(api.post("/scale/cores", "{\"vm_id\":101,\"cores\":3}").status()).isEqualTo(404);
        node.fail(101, 255, "CT is locked (snapshot)");
        assertThat(api.post("/scale/cores", "{\"vm_id\":101,\"cores\":3}").status()).isEqualTo(409);
        assertThat(api.server.metrics().scrape()).contains("lxc_autoscale_api_pct_calls_total{outcome=\"failed\",subcommand=\"set\",tool=\"pct\"}");
    }

    @Test
    void pctTimeoutIs504() throws Exception {
        node.delay("101", "10");
        Reply r = api.post("/scale/cores", "{\"vm_id\":101,\"cores\":3}");
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.json().path("message").asText()).isEqualTo("pct set timed out after 2 s");
        assertThat(api.server.metrics().scrape()).contains("outcome=\"timeout\"");
        node.delay("101", null);
    }

    @Test
    void authMissingWrongAndRightIncludingBearer() {
        Reply none = api.send(api.request("/resource/lxc/configs").GET().build());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("message").asText()).startsWith("Missing API key");
        Reply wrong = api.send(api.request("/resource/lxc/configs").header("X-API-Key", "wrong-key-0000000000").GET().build());
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().path("message").asText()).isEqualTo("Invalid API key");
        Reply bearer = api.send(api.request("/resource/lxc/configs").header("Authorization", "Bearer " + ApiHarness.KEY).GET().build());
        assertThat(bearer.status()).isEqualTo(200);
        // a rejected mutating call never reaches pct, even when its body is valid
        Reply post = api.send(api.request("/scale/cores").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"vm_id\":101,\"cores\":3}")).build());
        assertThat(post.status()).isEqualTo(401);
        for (String open : List.of("/", "/health/check", "/metrics")) {
            assertThat(api.send(api.request(open).GET().build()).status()).as(open).isEqualTo(200);
        }
    }

    @Test
    void auditLogRecordsMutatingCallsWithKeyIdNeverTheKey() throws Exception {
        api.post("/scale/cores", "{\"vm_id\":101,\"cores\":6}");
        api.send(api.request("/scale/cores").header("X-API-Key", "wrong-key-0000000000").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"vm_id\":101,\"cores\":7}")).build());
        String text = Files.readString(api.auditLog);
        assertThat(text).doesNotContain(ApiHarness.KEY).doesNotContain("wrong-key-0000000000");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(api.auditLog)))
                .as("the audit log is created owner-only").isEqualTo("rw-------");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(Json.mapper().readTree(line));
        }
        JsonNode ok = lines.stream().filter(l -> l.path("params").path("cores").asInt() == 6).findFirst().orElseThrow();
        assertThat(ok.path("key_id").asText()).isEqualTo(ApiKeys.keyId(ApiHarness.KEY));
        assertThat(ok.path("route").asText()).isEqualTo("/scale/cores");
        assertThat(ok.path("status").asInt()).isEqualTo(200);
        assertThat(ok.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(ok.has("duration_ms")).isTrue();
        assertThat(lines.stream().anyMatch(l -> l.path("status").asInt() == 403 && l.path("key_id").isNull())).isTrue();
    }

    @Test
    void healthMetricsIndexAndRoutes() throws Exception {
        Reply h = api.get("/health/check");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().path("status").asText()).isEqualTo("healthy");
        assertThat(h.json().path("checks").path("lxc_commands").path("ok").asBoolean()).isTrue();
        assertThat(h.json().path("checks").path("config_dir").path("ok").asBoolean()).isTrue();
        Reply m = api.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.header("Content-Type")).startsWith("text/plain");
        assertThat(m.body()).contains("lxc_autoscale_api_requests_total{method=\"GET\",route=\"/health/check\",status=\"200\"}",
                "lxc_autoscale_api_request_duration_seconds_bucket", "lxc_autoscale_api_pct_call_duration_seconds");
        Reply index = api.get("/");
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.body()).contains("/scale/cores", "curl -s -X POST -H &quot;X-API-Key: $KEY&quot;", "127.0.0.1:" + api.port).doesNotContain("<script");
        Reply routes = api.get("/routes");
        assertThat(routes.json().isArray()).isTrue();
        assertThat(routes.body()).contains("\"/resource/lxc/configs\"");
        assertThat(api.get("/no/such/route").status()).isEqualTo(404);
        assertThat(api.delete("/scale/cores", "{}").status()).isEqualTo(405);
    }

    /**
     * The OpenAPI document against what the running server answers, found by asking it: each documented
     * operation is routed (a request without a key gets the route's 401 or its answer, never the router's
     * 404 or 405), each other method on a documented path gets 405, and the handlers Javalin reports having
     * registered are exactly the documented operations. Unauthenticated probes run nothing.
     */
    @Test
    void openApiDocumentMatchesTheRoutesTheServerAnswers() throws Exception {
        JsonNode doc = api.get("/openapi.json").json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        Set<String> documented = new HashSet<>();
        for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            doc.path("paths").path(path).fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path));
        }
        assertThat(documented).contains("GET /resource/lxc/configs", "DELETE /snapshot/delete", "POST /scale/swap", "GET /openapi.json");

        // the probe tells a route from none: an unknown path is the router's 404, a wrong method on a known one 405
        assertThat(probe("GET", "/scale/nothing").status()).isEqualTo(404);
        assertThat(probe("GET", "/scale/nothing").body()).contains("Not found: GET /scale/nothing");
        assertThat(probe("GET", "/scale/cores").status()).isEqualTo(405);

        List<String> notAnswered = new ArrayList<>();
        for (String op : documented) {
            String[] methodPath = op.split(" ", 2);
            Reply r = probe(methodPath[0], methodPath[1]);
            if (r.status() == 405 || (r.status() == 404 && r.body().contains("Not found: " + op))) {
                notAnswered.add(op + " → " + r.status());
            }
        }
        assertThat(notAnswered).as("documented but not answered by the running server").isEmpty();

        List<String> answeredButUndocumented = new ArrayList<>();
        Set<String> documentedPaths = new HashSet<>();
        doc.path("paths").fieldNames().forEachRemaining(documentedPaths::add);
        for (String path : documentedPaths) {
            for (String method : List.of("GET", "POST", "DELETE", "PUT", "PATCH")) {
                if (!documented.contains(method + " " + path) && probe(method, path).status() != 405) {
                    answeredButUndocumented.add(method + " " + path);
                }
            }
        }
        assertThat(answeredButUndocumented).as("methods the running server answers on documented paths but the document lacks").isEmpty();

        Set<String> javalinHandlers = new HashSet<>();
        for (ApiServer.Registered r : api.server.registered()) {
            javalinHandlers.add(r.method() + " " + r.path());
        }
        assertThat(javalinHandlers).as("the handlers Javalin registered").isEqualTo(documented);

        for (RouteDef r : api.server.routes()) {
            JsonNode op = doc.path("paths").path(r.path()).path(r.method().toLowerCase());
            if (r.method().equals("GET")) {
                assertThat(op.path("parameters").size()).as(r.path()).isEqualTo(r.fields().size());
            } else {
                assertThat(op.path("requestBody").path("content").path("application/json").path("schema")
                        .path("additionalProperties").asBoolean(true)).isFalse();
            }
        }
    }

    /** A request without an API key and with an empty JSON body (for methods that take one). */
    private Reply probe(String method, String path) {
        java.net.http.HttpRequest.BodyPublisher body = method.equals("GET")
                ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString("{}");
        return api.send(api.request(path).header("Content-Type", "application/json").method(method, body).build());
    }
}
