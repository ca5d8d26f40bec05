package io.lxcautoscale.bench.e2e;

import static io.lxcautoscale.bench.e2e.DemoOutputFiles.conf;
import static io.lxcautoscale.bench.e2e.DemoOutputFiles.jsonLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./demo.sh --cluster --fast-forward --offline pve2:40}: three simulated nodes, each with its own files,
 * {@code pct}, API process, monitor and model, the models in cluster mode against one simulated Proxmox API, on the
 * simulator's clock (so the decisions do not depend on how loaded the machine is). The test reads what the daemons
 * wrote: each node's model journal, API audit log and container configs.
 *
 * <p>Expectations from {@code sim/scenarios/cluster/*.yaml} and the demo's model settings (node reserves at their
 * defaults: {@code reserve_cores} 1, {@code reserve_memory_mb} 2048, {@code cpu_overcommit} 4; {@code max_cpu_cores}
 * 6, {@code min_ram_mb} 256), by hand:
 * <ul>
 * <li>pve1 (4 CPUs, 8192 MiB) holds 101 (2 cores, wants 5) and 102; pve2 (16 CPUs, 32768 MiB) holds 201 (1 core,
 *     wants 2.6) and 202; pve3 (8 CPUs, 16384 MiB) holds 301 (1 core, wants 1.8), 302 and 303.</li>
 * <li>201 and 301 gain cores on their own nodes (15 and 7 cores allowed to one container there). 101 gains one core
 *     and is then capped at 4 − 1 = 3 by its node: its model recommends a move.</li>
 * <li>Where to: 101 wants W cores, 4 ≤ W ≤ 6 (more than the cap, at most max_cpu_cores), and at most its 1024 MiB.
 *     pve2's pool is (16 − 1) × 4 = 60 core slots; its other containers hold at most 6 + 2 = 8 cores and
 *     2048 + 2048 MiB, so its room after the move is at least min((60 − 8 − W)/60, (30720 − 4096 − 1024)/30720)
 *     = (52 − W)/60 ≥ 0.77. pve3's pool is (8 − 1) × 4 = 28; its three others hold at least 1 core each, so its core
 *     share is at most (28 − 3 − W)/28 = (25 − W)/28 ≤ 0.75. So pve2 while it is online; once it is offline, pve3
 *     (at most 6 + 4 + 2 cores and 1024 + 7168 + 2048 MiB: 28 − 12 − 6 ≥ 0 slots and 14336 − 10240 − 1024 ≥ 0 MiB
 *     left, it fits), never pve2.</li>
 * <li>Model cycles every 5 simulated seconds: 70 / 5 = 14 on pve1 and on pve3; pve2 goes offline at second 40,
 *     before its cycle of that second, so 35 / 5 = 7 there: 35 in all.</li>
 * </ul>
 */
class ClusterDemoCommandTest {
    private static final int SIMULATED_SECONDS = 70;
    private static final int OFFLINE_AT = 40;
    private static final Map<String, List<String>> CONTAINERS = Map.of("pve1", List.of("101", "102"), "pve2", List.of("201", "202"),
            "pve3", List.of("301", "302", "303"));
    private static final Pattern FAST_FORWARD = Pattern.compile("fast-forward: (\\d+) simulated seconds, (\\d+) model cycle\\(s\\) \\((\\d+) failed\\)");
    private static final Pattern OFFLINE = Pattern.compile("node pve2 taken offline at simulated second (\\d+) \\((\\S+)\\)");

    @Test
    void busyContainersScaleOnTheirOwnNodesAndTheCappedOneGetsTheNodeWithRoomEvenWithANodeOffline(@TempDir Path tmp) throws Exception {
        DemoRun run = DemoRun.run(tmp, "--cluster", "--fast-forward", "--duration", Integer.toString(SIMULATED_SECONDS),
                "--offline", "pve2:" + OFFLINE_AT);
        try {
            run.assertExitedCleanly();
            checkRun(run);
        } finally {
            AtomicFiles.deleteTree(run.dir());
        }
    }

    private static void checkRun(DemoRun run) throws IOException {
        Matcher ff = FAST_FORWARD.matcher(run.output());
        assertThat(ff.find()).as("fast-forward line; output tail:\n%s", run.tail()).isTrue();
        assertThat(Integer.parseInt(ff.group(1))).as("simulated seconds").isEqualTo(SIMULATED_SECONDS);
        assertThat(Integer.parseInt(ff.group(2))).as("model cycles").isEqualTo(14 + 7 + 14);
        assertThat(Integer.parseInt(ff.group(3))).as("failed model cycles").isZero();
        Matcher off = OFFLINE.matcher(run.output());
        assertThat(off.find()).as("offline line; output tail:\n%s", run.tail()).isTrue();
        assertThat(Integer.parseInt(off.group(1))).isEqualTo(OFFLINE_AT);
        Instant offlineAt = Instant.parse(off.group(2));

        int nodesWithScaleUps = 0;
        for (Map.Entry<String, List<String>> node : CONTAINERS.entrySet()) {
            List<JsonNode> journal = jsonLines(run.dir().resolve(node.getKey()).resolve("lxc_autoscale_suggestions.json"));
            List<JsonNode> audit = jsonLines(run.dir().resolve(node.getKey()).resolve("lxc_autoscale_api_audit.json"));
            // one decider per container: a node's model and API only ever dealt with that node's containers
            assertThat(journal).as("journal of %s", node.getKey()).isNotEmpty()
                    .allMatch(j -> node.getValue().contains(j.path("container_id").asText()));
            assertThat(audit).as("API audit of %s", node.getKey())
                    .allMatch(a -> a.path("params").path("vm_id").isMissingNode() || node.getValue().contains(a.path("params").path("vm_id").asText()));
            if (journal.stream().anyMatch(ClusterDemoCommandTest::appliedCoreIncrease)) {
                nodesWithScaleUps++;
            }
            if (node.getKey().equals("pve2")) {
                assertThat(journal).as("pve2 decides nothing once offline").allMatch(j -> time(j).isBefore(offlineAt));
            } else {
                // the offline node does not stop the others: they go on deciding
                assertThat(journal).as("%s decides after pve2 went offline", node.getKey()).anyMatch(j -> !time(j).isBefore(offlineAt));
            }
        }
        assertThat(nodesWithScaleUps).as("nodes with an applied scale-up").isEqualTo(3);

        for (String[] busy : List.of(new String[] {"pve2", "201"}, new String[] {"pve3", "301"})) {
            Path dir = run.dir().resolve(busy[0]);
            List<JsonNode> changes = jsonLines(dir.resolve("lxc_autoscale_suggestions.json")).stream()
                    .filter(j -> j.path("container_id").asText().equals(busy[1]) && isAppliedCoreChange(j)).toList();
            assertThat(changes).as("applied core changes of %s", busy[1]).isNotEmpty();
            assertThat(changes.get(0).path("cpu_action").asText()).isEqualTo("increase");
            assertThat(changes.get(0).path("cores_before").asInt()).isEqualTo(1);
            assertThat(conf(dir.resolve("node/etc/pve/nodes/" + busy[0] + "/lxc"), busy[1]).get("cores")).as("cores of %s", busy[1])
                    .isEqualTo(changes.get(changes.size() - 1).path("cores_after").asText());
        }

        List<JsonNode> pve1 = jsonLines(run.dir().resolve("pve1/lxc_autoscale_suggestions.json"));
        assertThat(pve1).as("101 gains its one core up to the cap").anyMatch(j -> j.path("container_id").asText().equals("101")
                && appliedCoreIncrease(j) && j.path("cores_after").asInt() == 3);
        List<JsonNode> advice = pve1.stream().filter(j -> j.path("outcome").asText().equals("recommend_migrate")).toList();
        assertThat(advice).as("recommendations").isNotEmpty().allMatch(j -> j.path("container_id").asText().equals("101")
                && j.path("from_node").asText().equals("pve1") && j.path("wanted_cores").asInt() >= 4
                && j.path("reason").asText().contains("node capacity: cores capped at 3"));
        List<JsonNode> before = advice.stream().filter(j -> time(j).isBefore(offlineAt)).toList();
        List<JsonNode> after = advice.stream().filter(j -> !time(j).isBefore(offlineAt)).toList();
        assertThat(before).as("recommendations while pve2 is online").isNotEmpty().allMatch(j -> j.path("to_node").asText().equals("pve2"));
        assertThat(after).as("recommendations once pve2 is offline").isNotEmpty().allMatch(j -> j.path("to_node").asText().equals("pve3")
                && j.path("reason").asText().contains("not pve2 (offline)"));
        for (String node : List.of("pve2", "pve3")) {
            assertThat(jsonLines(run.dir().resolve(node).resolve("lxc_autoscale_suggestions.json")))
                    .as("recommendations on %s", node).noneMatch(j -> j.path("outcome").asText().equals("recommend_migrate"));
        }
    }

    private static boolean isAppliedCoreChange(JsonNode j) {
        return j.path("outcome").asText().equals("applied") && !j.path("cpu_action").asText().equals("none");
    }

    private static boolean appliedCoreIncrease(JsonNode j) {
        return isAppliedCoreChange(j) && j.path("cores_after").asInt() > j.path("cores_before").asInt();
    }

    private static Instant time(JsonNode entry) {
        return OffsetDateTime.parse(entry.path("timestamp").asText()).toInstant();
    }
}
