package io.lxcautoscale.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.containers.PveApiBackend;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.api.pve.SimProxmoxCluster;
import io.lxcautoscale.common.pveapi.PveApiClient;
import io.lxcautoscale.common.pveapi.PveApiToken;
import io.lxcautoscale.common.pveapi.PveTlsTrust;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PveApiBackend} against the simulated cluster, with its {@code /cluster/resources} answer reused for an hour
 * on a fixed clock: a change carries the digest of the configuration it decided on, and when someone else changed the
 * file in between (digest conflict) the configuration is read again and the change sent once more; a container that
 * migrated since its node was looked up is found on its new node. Here in the {@code http} package because a call
 * needs an {@link Exchange}.
 */
class PveApiBackendTest {
    @TempDir
    Path dir;
    private SimProxmoxCluster pve;
    private PveApiBackend backend;
    private ApiCall call;

    @BeforeEach
    void start() throws Exception {
        pve = new SimProxmoxCluster(dir, SimProxmoxCluster.ROLE);
        PveApiClient client = new PveApiClient("127.0.0.1", pve.server.port(), PveApiToken.readFile(pve.tokenFile),
                PveTlsTrust.caFile(pve.caFile()), Duration.ofSeconds(10), Duration.ofSeconds(20));
        backend = new PveApiBackend(client, SimProxmoxCluster.LOCAL_NODE, Duration.ofHours(1),
                Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC), new ApiMetrics());
        RouteDef route = new RouteDef("POST", "/scale/cores", "test", List.of(), true, false, "", c -> null);
        call = new ApiCall(Map.of(), false, new Exchange(route, System.nanoTime(), "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        pve.close();
    }

    @Test
    void aConfigChangedSinceItWasReadIsReadAgainAndTheChangeSentOnceMore() {
        Entry decidedOn = backend.require(call, 202);
        // another writer changes the container's config after our read: its digest is no longer ours
        pve.cluster.update(202, c -> c.withSwap(1024));

        backend.setCores(call, decidedOn, 3);

        assertThat(pve.cluster.container(202).orElseThrow().cores()).isEqualTo(3);
        assertThat(pve.cluster.container(202).orElseThrow().swapMib()).as("the other writer's change stays").isEqualTo(1024);
        assertThat(pve.requests("PUT /api2/json/nodes/pve2/lxc/202/config")).isEqualTo(2);
        assertThat(pve.requests("GET /api2/json/nodes/pve2/lxc/202/config")).isEqualTo(2);
    }

    @Test
    void anUnchangedConfigTakesOnePut() {
        Entry decidedOn = backend.require(call, 202);

        backend.setMemory(call, decidedOn, 4096);

        assertThat(pve.cluster.container(202).orElseThrow().memoryMib()).isEqualTo(4096);
        assertThat(pve.requests("PUT /api2/json/nodes/pve2/lxc/202/config")).isEqualTo(1);
        assertThat(pve.requests("GET /api2/json/nodes/pve2/lxc/202/config")).isEqualTo(1);
    }

    @Test
    void aContainerThatMigratedSinceItsNodeWasLookedUpIsFoundOnItsNewNode() {
        assertThat(backend.require(call, 202).config().cores()).isEqualTo(2);
        assertThat(pve.requests("GET /api2/json/cluster/resources")).isEqualTo(1);
        pve.cluster.update(202, c -> c.onNode("pve3"));

        Entry moved = backend.require(call, 202);
        backend.setCores(call, moved, 4);

        assertThat(pve.requests("GET /api2/json/nodes/pve2/lxc/202/config")).as("first try on the old node").isEqualTo(2);
        assertThat(pve.requests("GET /api2/json/cluster/resources")).as("looked up again once").isEqualTo(2);
        assertThat(pve.requests("PUT /api2/json/nodes/pve3/lxc/202/config")).isEqualTo(1);
        assertThat(pve.cluster.container(202).orElseThrow().cores()).isEqualTo(4);
    }
}
