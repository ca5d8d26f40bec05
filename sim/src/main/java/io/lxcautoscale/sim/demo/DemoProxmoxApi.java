package io.lxcautoscale.sim.demo;

import io.lxcautoscale.sim.pveapi.SimPveAccess;
import io.lxcautoscale.sim.pveapi.SimPveApi;
import io.lxcautoscale.sim.pveapi.SimPveApiServer;
import io.lxcautoscale.sim.pveapi.SimPveCertificates;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The cluster demo's Proxmox API: one simulated API server ({@link SimPveApiServer}, HTTPS with its own CA) serving
 * the cluster view of every simulated node, kept in step with the nodes' files by a {@link ClusterMirror}; the
 * token file (mode 0600) and CA file the models are pointed at; and the model's {@code cluster:} section for a node.
 */
final class DemoProxmoxApi implements AutoCloseable {
    /** The API token the models use; its role is the one docs/cluster.md gives (read, and change cores and memory). */
    static final String TOKEN_ID = "autoscale@pve!ml";

    private final SimPveCluster cluster;
    private final SimPveApiServer server;
    private final ClusterMirror mirror;
    private final Path tokenFile;
    private final Path caFile;

    private DemoProxmoxApi(SimPveCluster cluster, SimPveApiServer server, ClusterMirror mirror, Path tokenFile, Path caFile) {
        this.cluster = cluster;
        this.server = server;
        this.mirror = mirror;
        this.tokenFile = tokenFile;
        this.caFile = caFile;
    }

    /**
     * Makes a CA and a certificate in {@code dir} (a few seconds of {@code keytool}), a random token, the cluster's
     * nodes (CPUs and memory as each node's scenario gives them), and starts serving on a free loopback port.
     *
     * @param clock    stamps task start times
     * @param nanoTime the clock the nodes' counters move by (CPU use between two {@link #sync()} calls)
     */
    static DemoProxmoxApi start(Path dir, List<ClusterMirror.MirroredNode> nodes, Clock clock, LongSupplier nanoTime)
            throws IOException {
        Files.createDirectories(dir);
        SimPveCluster cluster = new SimPveCluster(clock);
        for (ClusterMirror.MirroredNode node : nodes) {
            cluster.addNode(node.name(), node.cpus(), node.memoryMb() << 20);
        }
        SimPveCertificates certificates = SimPveCertificates.create(Files.createDirectories(dir.resolve("certs")), "Simulated Proxmox CA", nodes.get(0).name());
        String secret = UUID.randomUUID().toString();
        SimPveAccess access = new SimPveAccess(TOKEN_ID, secret).grant("/", Set.of("VM.Audit", "Sys.Audit", "VM.Config.CPU", "VM.Config.Memory"));
        Path tokenFile = access.writeTokenFile(dir.resolve("pve_api_token"));
        ClusterMirror mirror = new ClusterMirror(cluster, nodes, nanoTime);
        SimPveApiServer server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
        return new DemoProxmoxApi(cluster, server, mirror, tokenFile, certificates.caPem());
    }

    /** The {@code cluster:} section of the model configuration of {@code node}. */
    String modelSection(String node) {
        return """
                cluster:
                  enabled: true
                  node: %s
                  api_url: https://localhost:%d
                  token_file: %s
                  ca_file: %s
                """.formatted(node, server.port(), tokenFile, caFile);
    }

    /** Brings the cluster view up to the nodes' files (every online node's containers, limits and use). */
    void sync() {
        mirror.sync();
    }

    /** Takes a node offline: {@code /cluster/resources} shows it offline, requests routed to it fail with 595. */
    void takeOffline(String node) {
        cluster.setOnline(node, false);
    }

    int port() {
        return server.port();
    }

    /** Every request the server received so far. */
    long totalRequests() {
        return server.totalRequests();
    }

    @Override
    public void close() {
        server.close();
    }
}
