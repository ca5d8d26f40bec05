package io.lxcautoscale.bench.cluster;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.cluster.ClusterView;
import io.lxcautoscale.model.cluster.PveClusterSource;
import io.lxcautoscale.sim.pveapi.SimPveAccess;
import io.lxcautoscale.sim.pveapi.SimPveApi;
import io.lxcautoscale.sim.pveapi.SimPveApiServer;
import io.lxcautoscale.sim.pveapi.SimPveCertificates;
import io.lxcautoscale.sim.pveapi.SimPveCluster;
import io.lxcautoscale.sim.pveapi.SimPveContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Requests the models of a cluster send to the Proxmox API per cycle (issue 15's figure): N nodes × M containers in
 * the simulated Proxmox API over HTTPS, one model's cluster source per node (built from the model's own
 * {@code cluster.*} configuration, token and CA files), C cycles each. Prints the requests counted by the server per
 * node and cycle, and the fetch's wall time, next to the floor of the same run: the same number of fetches of a
 * cluster with no container (one request each, the smallest answer). The counts come from the server, not the client.
 *
 * <p>Args: nodes (3), containers per node (100), cycles (60).
 */
public final class ClusterRequestBench {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String TOKEN_ID = "autoscale@pve!ml";
    private static final String SECRET = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int perNode = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path dir = Files.createTempDirectory("cluster-request-bench");
        SimPveCertificates certificates = SimPveCertificates.create(Files.createDirectory(dir.resolve("certs")),
                "Simulated Proxmox CA", "pve1");
        Path token = new SimPveAccess(TOKEN_ID, SECRET).writeTokenFile(dir.resolve("pve_api_token"));

        Run floor = run(nodes, 0, cycles, certificates, token);
        Run measured = run(nodes, perNode, cycles, certificates, token);
        System.out.printf("cluster: %d nodes x %d containers, %d cycles per node's model%n", nodes, perNode, cycles);
        print("floor (no container)", floor, nodes, cycles);
        print("measured", measured, nodes, cycles);
        System.out.printf("containers the last node's model decides for (own node, not skipped): %d; available processors %d%n", measured.containersSeen,
                Runtime.getRuntime().availableProcessors());
    }

    private record Run(long requests, long[] fetchNanos, int containersSeen) {
    }

    private static Run run(int nodes, int perNode, int cycles, SimPveCertificates certificates, Path token) throws Exception {
        SimPveCluster cluster = new SimPveCluster();
        List<String> vmids = new java.util.ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            cluster.addNode("pve" + n, 32, 128 * GIB);
            for (int i = 0; i < perNode; i++) {
                int vmid = 100 * n * 10 + i; // 1000.., 2000.., 3000..
                vmids.add(Integer.toString(vmid));
                cluster.addContainer(new SimPveContainer(vmid, "pve" + n, "ct" + vmid, "running", 2, 2048,
                        Optional.empty(), Optional.empty(), List.of()));
            }
        }
        SimPveAccess access = new SimPveAccess(TOKEN_ID, SECRET).grant("/", Set.of("Sys.Audit", "VM.Audit"));
        try (SimPveApiServer server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext())) {
            PveClusterSource[] sources = new PveClusterSource[nodes];
            for (int n = 1; n <= nodes; n++) {
                ModelConfig config = ConfigLoader.parse("ml.yaml", "cluster: {enabled: true, node: pve" + n
                        + ", api_url: 'https://localhost:" + server.port() + "', token_file: '" + token + "', ca_file: '"
                        + certificates.caPem() + "'}", ModelConfig::bind).config();
                sources[n - 1] = PveClusterSource.of(config.cluster(), "ml.yaml");
            }
            for (PveClusterSource s : sources) { // warm-up: TLS session, JIT
                for (int i = 0; i < 20; i++) {
                    s.fetch();
                }
            }
            long before = server.totalRequests();
            long[] nanos = new long[cycles * nodes];
            int seen = 0;
            for (int c = 0; c < cycles; c++) {
                for (int n = 0; n < nodes; n++) {
                    long t0 = System.nanoTime();
                    ClusterView view = sources[n].fetch();
                    nanos[c * nodes + n] = System.nanoTime() - t0;
                    seen = (int) vmids.stream().filter(v -> view.skipReason(v) == null).count();
                }
            }
            return new Run(server.totalRequests() - before, nanos, seen);
        }
    }

    private static void print(String label, Run r, int nodes, int cycles) {
        long[] sorted = r.fetchNanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-22s requests %d = %.2f per node per cycle; fetch p50 %.2f ms, p99 %.2f ms%n", label, r.requests,
                (double) r.requests / ((long) nodes * cycles), sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
    }

    private ClusterRequestBench() {
    }
}
