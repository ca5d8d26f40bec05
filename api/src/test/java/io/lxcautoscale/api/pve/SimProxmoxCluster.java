package io.lxcautoscale.api.pve;

import io.lxcautoscale.sim.pveapi.SimPveAccess;
import io.lxcautoscale.sim.pveapi.SimPveApi;
import io.lxcautoscale.sim.pveapi.SimPveApiServer;
import io.lxcautoscale.sim.pveapi.SimPveCertificates;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import io.lxcautoscale.sim.pveapi.SimPveUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated 3-node Proxmox cluster served over HTTPS on a loopback port ({@link SimPveApiServer}), for the API
 * daemon's Proxmox API backend. Node {@code pve} (this node, 8 CPUs, 32 GiB) runs CT 101 (2 cores, 1024 MiB);
 * {@code pve2} (4 CPUs, 16 GiB) runs CT 202 (2 cores, 2048 MiB, 512 MiB used) and holds CT 203 (stopped, locked by a
 * backup); {@code pve3} (4 CPUs, 16 GiB) runs CT 301 (1 core, 1024 MiB).
 */
public final class SimProxmoxCluster implements AutoCloseable {
    public static final long MIB = 1048576L;
    public static final long GIB = 1024 * MIB;
    public static final String LOCAL_NODE = "pve";
    public static final String TOKEN_ID = "lxc-autoscale@pve!api";
    public static final String SECRET = "0b6c1f0e-7a51-4d2c-9e3f-6a7b8c9d0e1f";
    /** Every privilege the API daemon needs (docs/cluster.md). */
    public static final Set<String> ROLE = Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU", "VM.Config.Memory");
    private static SimPveCertificates certificates;

    public final SimPveCluster cluster;
    public final SimPveApiServer server;
    public final Path tokenFile;

    /** The cluster with {@code privileges} granted to the token (and its user) on {@code /}. */
    public SimProxmoxCluster(Path dir, Set<String> privileges) throws IOException {
        cluster = new SimPveCluster(Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC));
        cluster.addNode(LOCAL_NODE, 8, 32 * GIB);
        cluster.addNode("pve2", 4, 16 * GIB);
        cluster.addNode("pve3", 4, 16 * GIB);
        cluster.addContainer(new SimPveContainer(101, LOCAL_NODE, "local1", "running", 2, 1024, Optional.empty(),
                Optional.empty(), List.of("web")));
        cluster.addContainer(new SimPveContainer(202, "pve2", "remote1", "running", 2, 2048, Optional.empty(),
                Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(203, "pve2", "backed-up", "stopped", 1, 512, Optional.of("backup"),
                Optional.empty(), List.of()));
        cluster.addContainer(new SimPveContainer(301, "pve3", "far1", "running", 1, 1024, Optional.empty(),
                Optional.empty(), List.of()));
        cluster.setUsage(202, new SimPveUsage(0.5, 512 * MIB));
        SimPveAccess access = new SimPveAccess(TOKEN_ID, SECRET);
        access.grant("/", privileges);
        server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates().serverContext());
        tokenFile = access.writeTokenFile(dir.resolve("pve_api_token"));
    }

    /** The {@code proxmox:} section of the API daemon's YAML that points at this cluster. */
    public String proxmoxYaml() {
        return "proxmox:\n  backend: api\n  api_url: https://127.0.0.1:" + server.port() + "\n  token_file: " + tokenFile
                + "\n  ca_file: " + certificates().caPem() + "\n  timeout_seconds: 20\n";
    }

    /** The cluster CA the simulated API's certificate is signed by. */
    public Path caFile() {
        return certificates().caPem();
    }

    /** Requests the simulated API received for {@code "PUT /api2/json/nodes/pve2/lxc/202/config"} and the like. */
    public long requests(String methodAndPath) {
        return server.requestCount(methodAndPath);
    }

    /** One CA and node certificate per test JVM (keytool takes seconds), in the module's target directory. */
    private static synchronized SimPveCertificates certificates() {
        if (certificates == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sim-pve-certs");
                certificates = SimPveCertificates.create(dir, "Simulated Proxmox CA", LOCAL_NODE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return certificates;
    }

    @Override
    public void close() {
        server.close();
    }
}
