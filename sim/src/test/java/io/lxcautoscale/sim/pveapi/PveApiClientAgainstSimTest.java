package io.lxcautoscale.sim.pveapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.pveapi.PveApiClient;
import io.lxcautoscale.common.pveapi.PveApiToken;
import io.lxcautoscale.common.pveapi.PveAuthFailedException;
import io.lxcautoscale.common.pveapi.PveClusterResources;
import io.lxcautoscale.common.pveapi.PveConfigNotFoundException;
import io.lxcautoscale.common.pveapi.PveContainerConfig;
import io.lxcautoscale.common.pveapi.PveContainerStatus;
import io.lxcautoscale.common.pveapi.PveDigestConflictException;
import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import io.lxcautoscale.common.pveapi.PveHotplugFailedException;
import io.lxcautoscale.common.pveapi.PveLockedException;
import io.lxcautoscale.common.pveapi.PveNode;
import io.lxcautoscale.common.pveapi.PveNodeUnreachableException;
import io.lxcautoscale.common.pveapi.PvePermissionDeniedException;
import io.lxcautoscale.common.pveapi.PvePermissions;
import io.lxcautoscale.common.pveapi.PveTaskStatus;
import io.lxcautoscale.common.pveapi.PveTlsRefusedException;
import io.lxcautoscale.common.pveapi.PveTlsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PveApiClient} against {@link SimPveApiServer} over real HTTPS on a loopback port. The cluster: pve1 (8 CPUs,
 * 32 GiB) runs CT 101 (2 cores, 2048 MiB, HA-managed, a quarter of its CPUs and 512 MiB used), pve2 (4 CPUs, 16 GiB)
 * holds CT 102 (stopped, locked by a backup), pve3 (4 CPUs, 16 GiB) runs CT 1000. Expected values are this setup and
 * Proxmox's documented behaviour (docs/reference/proxmox-api.md).
 */
class PveApiClientAgainstSimTest {
    private static final long MIB = 1048576L;
    private static final long GIB = 1024 * MIB;
    private static final String TOKEN_ID = "autoscaler@pve!scaler";
    private static final String SECRET = "5c1f3e2a-8b7d-4a7e-9f10-2b3c4d5e6f70";
    private static final Set<String> AUTOSCALER_ROLE =
            Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU", "VM.Config.Memory", "VM.Migrate");
    private static final Instant START = Instant.parse("2026-01-14T10:00:00Z");

    static SimPveCertificates certificates;

    @TempDir
    Path dir;
    private SimPveCluster cluster;
    private SimPveAccess access;
    private SimPveApiServer server;

    @BeforeAll
    static void makeCertificates() {
        certificates = SimPveTestCertificates.shared();
    }

    private void startCluster(Map<String, Set<String>> acl) {
        cluster = new SimPveCluster(Clock.fixed(START, ZoneOffset.UTC));
        cluster.addNode("pve1", 8, 32 * GIB);
        cluster.addNode("pve2", 4, 16 * GIB);
        cluster.addNode("pve3", 4, 16 * GIB);
        cluster.addContainer(new SimPveContainer(101, "pve1", "web1", "running", 2, 2048, Optional.empty(),
                Optional.of("started"), List.of("prod", "web")));
        cluster.addContainer(new SimPveContainer(102, "pve2", "db1", "stopped", 4, 4096, Optional.of("backup"),
                Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(1000, "pve3", "batch", "running", 1, 1024, Optional.empty(),
                Optional.empty(), List.of()));
        cluster.setUsage(101, new SimPveUsage(0.25, 512 * MIB));
        cluster.setUsage(1000, new SimPveUsage(0.5, 256 * MIB));
        access = new SimPveAccess(TOKEN_ID, SECRET);
        acl.forEach(access::grant);
        server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
    }

    private void startCluster() {
        startCluster(Map.of("/", AUTOSCALER_ROLE));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private PveApiClient client(String secret, PveTlsTrust trust) throws Exception {
        Path file = dir.resolve("token-" + secret.hashCode());
        Files.writeString(file, TOKEN_ID + "=" + secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return new PveApiClient("127.0.0.1", server.port(), PveApiToken.readFile(file), trust, Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    private PveApiClient client() throws Exception {
        return client(SECRET, PveTlsTrust.caFile(certificates.caPem()));
    }

    @Test
    void oneRequestListsNodesAndContainersWithOwnerLockHaStateTagsAndUsage() throws Exception {
        startCluster();

        PveClusterResources resources = client().clusterResources();

        Map<String, PveNode> nodes = resources.nodes().stream().collect(Collectors.toMap(PveNode::node, Function.identity()));
        assertThat(nodes).containsOnlyKeys("pve1", "pve2", "pve3");
        assertThat(nodes.get("pve1")).isEqualTo(new PveNode("pve1", "online", 8, 0.25 * 2 / 8, 32 * GIB, 512 * MIB,
                Optional.empty()));
        assertThat(nodes.get("pve2")).isEqualTo(new PveNode("pve2", "online", 4, 0, 16 * GIB, 0, Optional.empty()));
        Map<Integer, PveGuest> guests = resources.guests().stream()
                .collect(Collectors.toMap(PveGuest::vmid, Function.identity()));
        assertThat(guests).containsOnlyKeys(101, 102, 1000);
        assertThat(guests.get(101)).isEqualTo(new PveGuest(101, "lxc", "pve1", "running", Optional.of("web1"),
                Optional.empty(), Optional.of("started"), List.of("prod", "web"), 2, 0.25, 2048 * MIB, 512 * MIB));
        assertThat(guests.get(102)).isEqualTo(new PveGuest(102, "lxc", "pve2", "stopped", Optional.of("db1"),
                Optional.of("backup"), Optional.empty(), List.of(), 4, 0, 4096 * MIB, 0));
        assertThat(guests.get(1000).node()).isEqualTo("pve3");
        assertThat(guests.get(1000).cpu()).isEqualTo(0.5);
        assertThat(server.requestCount("GET /api2/json/cluster/resources")).isEqualTo(1);
        assertThat(server.totalRequests()).isEqualTo(1);
    }

    @Test
    void guestsWithoutVmAuditAndNodeStatsWithoutSysAuditAreHidden() throws Exception {
        startCluster(Map.of("/vms", Set.of("VM.Audit"), "/vms/102", Set.of("VM.Config.CPU")));

        PveClusterResources resources = client().clusterResources();

        assertThat(resources.guests()).extracting(PveGuest::vmid).containsExactlyInAnyOrder(101, 1000);
        assertThat(resources.nodes()).extracting(PveNode::node).containsExactlyInAnyOrder("pve1", "pve2", "pve3");
        assertThat(resources.nodes()).allSatisfy(n -> {
            assertThat(n.maxcpu()).isZero();
            assertThat(n.maxmem()).isZero();
        });
    }

    @Test
    void wrongSecretIsRejectedWith401() throws Exception {
        startCluster();
        PveApiClient client = client("0badc0de-0000-4000-8000-000000000000", PveTlsTrust.caFile(certificates.caPem()));

        assertThatThrownBy(client::clusterResources)
                .isInstanceOfSatisfying(PveAuthFailedException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("GET /cluster/resources");
    }

    @Test
    void missingMemoryPrivilegeIsNamedAndNothingChanges() throws Exception {
        startCluster(Map.of("/", Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU")));
        PveApiClient client = client();
        PveContainerConfig before = client.containerConfig("pve1", 101);

        assertThatThrownBy(() -> client.setLimits("pve1", 101, OptionalInt.empty(), OptionalInt.of(4096), before.digest()))
                .isInstanceOfSatisfying(PvePermissionDeniedException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.aclPath()).isEqualTo("/vms/101");
                    assertThat(e.privilege()).isEqualTo("VM.Config.Memory");
                })
                .hasMessageContaining("Permission check failed (/vms/101, VM.Config.Memory)");
        assertThat(client.containerConfig("pve1", 101)).isEqualTo(before);
    }

    @Test
    void wrongPinnedFingerprintRefusesTlsBeforeAnyRequestIsSent() throws Exception {
        startCluster();
        // a well-formed fingerprint, but of the CA, not of the node certificate the server presents
        String otherFingerprint = PveTlsTrust.fingerprintOf(caCertificate());
        PveApiClient client = client(SECRET, PveTlsTrust.pinnedFingerprint(otherFingerprint));

        assertThatThrownBy(client::clusterResources).isInstanceOf(PveTlsRefusedException.class)
                .hasMessageContaining("not the pinned fingerprint");
        assertThat(server.totalRequests()).isZero();
    }

    @Test
    void pinnedFingerprintOfTheNodeCertificateIsAccepted() throws Exception {
        startCluster();
        String fingerprint = PveTlsTrust.fingerprintOf(certificates.nodeCertificate());
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

        PveClusterResources resources = client(SECRET, PveTlsTrust.pinnedFingerprint(fingerprint)).clusterResources();

        assertThat(resources.guests()).hasSize(3);
    }

    @Test
    void trustingTheClusterCaFileWorksByIpAndByName() throws Exception {
        startCluster();
        Path token = access.writeTokenFile(dir.resolve("token"));
        PveTlsTrust ca = PveTlsTrust.caFile(certificates.caPem());

        for (String host : List.of("127.0.0.1", "localhost")) {
            PveApiClient client = new PveApiClient(host, server.port(), PveApiToken.readFile(token), ca,
                    Duration.ofSeconds(10), Duration.ofSeconds(30));
            assertThat(client.clusterResources().nodes()).hasSize(3);
        }
    }

    @Test
    void requestToAnOfflineNodeNamesTheNodeWhileClusterWideReadsStillWork() throws Exception {
        startCluster();
        cluster.setOnline("pve2", false);
        PveApiClient client = client();

        assertThatThrownBy(() -> client.containerConfig("pve2", 102))
                .isInstanceOfSatisfying(PveNodeUnreachableException.class, e -> {
                    assertThat(e.node()).isEqualTo("pve2");
                    assertThat(e.status()).isEqualTo(595);
                })
                .hasMessageContaining("pve2");
        PveClusterResources resources = client.clusterResources();
        PveNode pve2 = resources.nodes().stream().filter(n -> n.node().equals("pve2")).findFirst().orElseThrow();
        assertThat(pve2.online()).isFalse();
        assertThat(pve2.status()).isEqualTo("offline");
        assertThat(pve2.maxcpu()).isEqualTo(4);
        assertThat(resources.guests()).extracting(PveGuest::vmid).contains(102);
    }

    @Test
    void apiHostDownIsUnreachableNamingTheHost() throws Exception {
        startCluster();
        PveApiClient client = client();
        server.close();
        server = null;

        assertThatThrownBy(client::clusterResources)
                .isInstanceOfSatisfying(PveNodeUnreachableException.class, e -> {
                    assertThat(e.node()).isEqualTo("127.0.0.1");
                    assertThat(e.status()).isZero();
                });
    }

    @Test
    void lockedContainerRefusesChangesNamingTheLock() throws Exception {
        startCluster();
        PveApiClient client = client();
        PveContainerConfig config = client.containerConfig("pve2", 102);
        assertThat(config.lock()).contains("backup");

        assertThatThrownBy(() -> client.setLimits("pve2", 102, OptionalInt.of(2), OptionalInt.empty(), config.digest()))
                .isInstanceOfSatisfying(PveLockedException.class, e -> {
                    assertThat(e.lock()).isEqualTo("backup");
                    assertThat(e.status()).isEqualTo(500);
                })
                .hasMessageContaining("CT is locked (backup)");
    }

    @Test
    void staleDigestIsADigestConflictAndNothingChanges() throws Exception {
        startCluster();
        PveApiClient client = client();
        PveContainerConfig read = client.containerConfig("pve1", 101);
        cluster.update(101, c -> c.withTags(List.of("prod", "web", "edited")));

        assertThatThrownBy(() -> client.setLimits("pve1", 101, OptionalInt.of(4), OptionalInt.of(4096), read.digest()))
                .isInstanceOf(PveDigestConflictException.class)
                .hasMessageContaining("detected modified configuration");
        PveContainerConfig after = client.containerConfig("pve1", 101);
        assertThat(after.cores()).hasValue(2);
        assertThat(after.memoryMib()).isEqualTo(2048);
        assertThat(after.tags()).containsExactly("prod", "web", "edited");
    }

    @Test
    void failedHotplugIsReportedPerOptionAndNothingIsWritten() throws Exception {
        startCluster();
        cluster.setHotplugFailure(101, "memory", Optional.of("container not running"));
        PveApiClient client = client();
        PveContainerConfig before = client.containerConfig("pve1", 101);

        assertThatThrownBy(() -> client.setLimits("pve1", 101, OptionalInt.of(3), OptionalInt.of(1024), before.digest()))
                .isInstanceOfSatisfying(PveHotplugFailedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.failures()).containsOnly(
                            Map.entry("memory", "unable to hotplug memory: container not running"));
                });
        assertThat(client.containerConfig("pve1", 101)).isEqualTo(before);
    }

    @Test
    void configRoundTripChangesCoresMemoryAndDigest() throws Exception {
        startCluster();
        PveApiClient client = client();
        PveContainerConfig before = client.containerConfig("pve1", 101);
        assertThat(before.cores()).hasValue(2);
        assertThat(before.memoryMib()).isEqualTo(2048);
        assertThat(before.digest()).matches("[0-9a-f]{40}");

        client.setLimits("pve1", 101, OptionalInt.of(3), OptionalInt.of(3072), before.digest());

        PveContainerConfig after = client.containerConfig("pve1", 101);
        assertThat(after.cores()).hasValue(3);
        assertThat(after.memoryMib()).isEqualTo(3072);
        assertThat(after.digest()).matches("[0-9a-f]{40}").isNotEqualTo(before.digest());
        PveContainerStatus status = client.containerStatus("pve1", 101);
        assertThat(status.cpus()).isEqualTo(3);
        assertThat(status.maxmem()).isEqualTo(3072 * MIB);
        PveGuest listed = guest(client, 101);
        assertThat(listed.maxcpu()).isEqualTo(3);
        assertThat(listed.maxmem()).isEqualTo(3072 * MIB);
    }

    @Test
    void unknownContainerOrWrongNodeIsConfigNotFound() throws Exception {
        startCluster();
        PveApiClient client = client();

        assertThatThrownBy(() -> client.containerConfig("pve1", 102)).isInstanceOf(PveConfigNotFoundException.class)
                .hasMessageContaining("Configuration file 'nodes/pve1/lxc/102.conf' does not exist");
        assertThatThrownBy(() -> client.containerConfig("pve1", 999)).isInstanceOf(PveConfigNotFoundException.class);
    }

    @Test
    void permissionsListTheTokensPrivilegesPerPath() throws Exception {
        startCluster(Map.of("/", Set.of("Sys.Audit", "VM.Audit"),
                "/vms", Set.of("VM.Audit", "VM.Config.CPU", "VM.Config.Memory")));

        PvePermissions permissions = client().permissions();

        assertThat(permissions.byPath().get("/")).containsExactlyInAnyOrder("Sys.Audit", "VM.Audit");
        assertThat(permissions.byPath().get("/nodes")).containsExactlyInAnyOrder("Sys.Audit", "VM.Audit");
        assertThat(permissions.byPath().get("/vms")).containsExactlyInAnyOrder("VM.Audit", "VM.Config.CPU", "VM.Config.Memory");
        assertThat(permissions.missing("/vms", Set.of("VM.Audit", "VM.Config.CPU", "VM.Config.Memory", "VM.Migrate")))
                .containsExactly("VM.Migrate");
        assertThat(permissions.missing("/", Set.of("Sys.Audit"))).isEmpty();
    }

    @Test
    void privilegeSeparatedTokenHoldsOnlyWhatItsUserHoldsToo() throws Exception {
        startCluster();
        access.grantUser("/", Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU"));
        PveApiClient client = client();

        PvePermissions permissions = client.permissions();
        PveContainerConfig config = client.containerConfig("pve1", 101);

        assertThat(permissions.byPath().get("/")).containsExactlyInAnyOrder("Sys.Audit", "VM.Audit", "VM.Config.CPU");
        assertThat(permissions.missing("/", AUTOSCALER_ROLE)).containsExactly("VM.Config.Memory", "VM.Migrate");
        assertThat(permissions.missingForClusterMode(false)).containsExactly("VM.Config.Memory on /vms");
        assertThatThrownBy(() -> client.setLimits("pve1", 101, OptionalInt.empty(), OptionalInt.of(1024), config.digest()))
                .isInstanceOfSatisfying(PvePermissionDeniedException.class,
                        e -> assertThat(e.privilege()).isEqualTo("VM.Config.Memory"));
    }

    @Test
    void containerStatusReportsLiveLimitsAndHaState() throws Exception {
        startCluster();

        PveContainerStatus status = client().containerStatus("pve1", 101);

        assertThat(status).isEqualTo(new PveContainerStatus(101, "running", 2, 512 * MIB, 2048 * MIB,
                SimPveContainer.DEFAULT_SWAP_MIB * MIB, Optional.empty(), Optional.of("started")));
    }

    @Test
    void restartMigrationLocksTheContainerThenMovesItAndTheTaskEndsOk() throws Exception {
        startCluster();
        PveApiClient client = client();

        String upid = client.migrateWithRestart("pve3", 1000, "pve2");

        assertThat(upid).startsWith("UPID:pve3:").endsWith(":vzmigrate:1000:" + TOKEN_ID + ":");
        assertThat(upid.split(":")[4]).isEqualTo(String.format("%08X", START.getEpochSecond()));
        PveTaskStatus running = client.taskStatus("pve3", upid);
        assertThat(running.running()).isTrue();
        assertThat(running.type()).isEqualTo("vzmigrate");
        assertThat(running.id()).isEqualTo("1000");
        PveGuest moving = guest(client, 1000);
        assertThat(moving.lock()).contains("migrate");
        assertThat(moving.node()).isEqualTo("pve3");
        assertThat(moving.status()).isEqualTo("stopped");

        cluster.finishTasks();

        PveTaskStatus done = client.taskStatus("pve3", upid);
        assertThat(done.status()).isEqualTo("stopped");
        assertThat(done.exitstatus()).contains("OK");
        assertThat(done.succeeded()).isTrue();
        PveGuest moved = guest(client, 1000);
        assertThat(moved.node()).isEqualTo("pve2");
        assertThat(moved.lock()).isEmpty();
        assertThat(moved.status()).isEqualTo("running");
        assertThatThrownBy(() -> client.containerConfig("pve3", 1000)).isInstanceOf(PveConfigNotFoundException.class);
        assertThat(client.containerConfig("pve2", 1000).cores()).hasValue(1);
    }

    @Test
    void haManagedContainerIsMigratedThroughHa() throws Exception {
        startCluster();
        PveApiClient client = client();

        String upid = client.migrateWithRestart("pve1", 101, "pve3");

        assertThat(upid).contains(":hamigrate:101:");
        assertThat(guest(client, 101).hastate()).contains("migrate");
        cluster.finishTasks();
        assertThat(client.taskStatus("pve1", upid).succeeded()).isTrue();
        PveGuest moved = guest(client, 101);
        assertThat(moved.node()).isEqualTo("pve3");
        assertThat(moved.hastate()).contains("started");
    }

    @Test
    void publishedStatusLagsConfigUntilTheNextStatusCycle() throws Exception {
        startCluster();
        cluster.reportPublishedStatusOnly();
        PveApiClient client = client();
        PveContainerConfig before = client.containerConfig("pve1", 101);

        client.setLimits("pve1", 101, OptionalInt.of(4), OptionalInt.empty(), before.digest());

        assertThat(client.containerConfig("pve1", 101).cores()).hasValue(4);
        assertThat(guest(client, 101).maxcpu()).isEqualTo(2);
        cluster.publishStatus();
        assertThat(guest(client, 101).maxcpu()).isEqualTo(4);
    }

    @Test
    void containerNotYetReportedIsListedAsUnknownWithoutFigures() throws Exception {
        startCluster();
        cluster.reportPublishedStatusOnly();
        cluster.addContainer(new SimPveContainer(103, "pve2", "new1", "running", 2, 1024, Optional.empty(),
                Optional.empty(), List.of()));

        PveGuest fresh = guest(client(), 103);

        assertThat(fresh).isEqualTo(new PveGuest(103, "lxc", "pve2", "unknown", Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), 0, 0, 0, 0));
    }

    @Test
    void stoppedApiServiceOrFailedTlsOnTheRoutedNodeIsUnreachable() throws Exception {
        startCluster();
        PveApiClient client = client();
        cluster.setProxyFailure("pve1", 595, Optional.of("Connection refused"));
        cluster.setProxyFailure("pve3", 596, Optional.of("SSL handshake failed"));

        assertThatThrownBy(() -> client.containerStatus("pve1", 101))
                .isInstanceOfSatisfying(PveNodeUnreachableException.class, e -> {
                    assertThat(e.node()).isEqualTo("pve1");
                    assertThat(e.status()).isEqualTo(595);
                });
        assertThatThrownBy(() -> client.containerConfig("pve3", 1000))
                .isInstanceOfSatisfying(PveNodeUnreachableException.class, e -> {
                    assertThat(e.node()).isEqualTo("pve3");
                    assertThat(e.status()).isEqualTo(596);
                });
        cluster.setProxyFailure("pve1", 595, Optional.empty());
        assertThat(client.containerStatus("pve1", 101).running()).isTrue();
    }

    private static PveGuest guest(PveApiClient client, int vmid) {
        return client.clusterResources().guests().stream().filter(g -> g.vmid() == vmid).findFirst().orElseThrow();
    }

    @Test
    void migratingALockedContainerEndsInAFailedTask() throws Exception {
        startCluster();
        PveApiClient client = client();

        String upid = client.migrateWithRestart("pve2", 102, "pve3");
        cluster.finishTasks();

        PveTaskStatus done = client.taskStatus("pve2", upid);
        assertThat(done.exitstatus()).contains("migration aborted");
        assertThat(done.succeeded()).isFalse();
        assertThat(cluster.container(102).orElseThrow().node()).isEqualTo("pve2");
    }

    private static java.security.cert.X509Certificate caCertificate() throws Exception {
        try (var in = Files.newInputStream(certificates.caPem())) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }

    @Test
    void haNodeAffinityFromPve9RulesWithEachResourcesFailback() throws Exception {
        startCluster();
        cluster.ha().resource(new SimPveHa.Resource("ct:101", Optional.empty(), Optional.of(false)))
                .resource(new SimPveHa.Resource("ct:1000", Optional.empty(), Optional.empty()))
                .resource(new SimPveHa.Resource("vm:100", Optional.empty(), Optional.empty()))
                .rule(new SimPveHa.Rule("web-on-big", "node-affinity", "ct:101,vm:100", "pve1:2,pve3", true, false))
                .rule(new SimPveHa.Rule("apart", "resource-affinity", "ct:101,ct:1000", "", false, false))
                .rule(new SimPveHa.Rule("off", "node-affinity", "ct:1000", "pve2", true, true));
        PveApiClient client = client();

        Map<Integer, PveHaNodeAffinity> rules = client.haNodeAffinity();

        // 101: the rule, strict, its resource's failback 0; 1000's only node-affinity rule is disabled; VMs are not ours
        assertThat(rules).containsOnlyKeys(101);
        assertThat(rules.get(101)).isEqualTo(new PveHaNodeAffinity("web-on-big", Map.of("pve1", 2, "pve3", 0), true, false));
        assertThat(server.requestCount("GET /api2/json/cluster/ha/resources")).isEqualTo(1);
        assertThat(server.requestCount("GET /api2/json/cluster/ha/rules")).isEqualTo(1);
        assertThat(server.requestCount("GET /api2/json/cluster/ha/groups")).isZero();
    }

    @Test
    void haNodeAffinityFromPve8GroupsAndNoneWhenNoResourceNamesOne() throws Exception {
        startCluster();
        cluster.ha().rulesRelease(false)
                .resource(new SimPveHa.Resource("ct:101", Optional.of("big"), Optional.empty()))
                .group(new SimPveHa.Group("big", "pve1:2,pve3:1", false, true));
        assertThat(client().haNodeAffinity()).isEqualTo(Map.of(101,
                new PveHaNodeAffinity("group big", Map.of("pve1", 2, "pve3", 1), false, false)));

        // PVE 8 without groups: the rules call answers 501 (no such call on that release), which means no rule
        cluster.ha().resource(new SimPveHa.Resource("ct:101", Optional.empty(), Optional.empty()));
        assertThat(client().haNodeAffinity()).isEmpty();
        assertThat(server.requestCount("GET /api2/json/cluster/ha/rules")).isEqualTo(1);
    }

    @Test
    void haRulesNeedSysAuditOnTheRoot() throws Exception {
        startCluster(Map.of("/vms", Set.of("VM.Audit"), "/nodes", Set.of("Sys.Audit")));
        cluster.ha().resource(new SimPveHa.Resource("ct:101", Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> client().haNodeAffinity()).isInstanceOf(PvePermissionDeniedException.class)
                .hasMessageContaining("Permission check failed (/, Sys.Audit)");
    }
}
