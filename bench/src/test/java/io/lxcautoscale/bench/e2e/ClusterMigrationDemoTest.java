package io.lxcautoscale.bench.e2e;

import static io.lxcautoscale.bench.e2e.DemoOutputFiles.conf;
import static io.lxcautoscale.bench.e2e.DemoOutputFiles.jsonLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./demo.sh --cluster --fast-forward --duration 90 --migrate 101:pve2:45}: three simulated nodes, each with its
 * own simulated files, monitor, model and API process (docs/simulator.md). Container 101, capped on the small pve1 and
 * recommended to pve2 (see {@link ClusterDemoCommandTest}), is migrated there in restart mode: shut down and locked at
 * simulated second 45, started on pve2 at 50. Expected, by hand:
 * <ul>
 *   <li>pve1's model kept the steps from the one holding second 0 to the one holding second 44 (the monitor samples
 *       every 2 s; the demo's steps are 10 s long, aligned on the epoch: 5 or 6 by where the start falls, worked out
 *       from the printed times). pve2's model takes over those that end before its own first step, the one holding
 *       second 52, its monitor's first sample of 101: all of them, or all but the last when that one reaches past
 *       second 50.</li>
 *   <li>Never two models: pve2 decides nothing for 101 before the move, pve1 only skips it from the lock on, and in no
 *       model cycle do both decide for it.</li>
 *   <li>On pve2, 101 (3 cores when it left, wanting about 5) gets more cores: pve2 has 15 CPUs to give one container
 *       and the demo's {@code max_cpu_cores} is 6.</li>
 * </ul>
 */
class ClusterMigrationDemoTest {
    private static final Pattern STARTED = Pattern.compile("container 101: migration to pve2 started at simulated second 45 \\((\\S+)\\)");
    private static final Pattern MOVED = Pattern.compile("container 101 migrated from pve1 to pve2 at simulated second 50 \\((\\S+)\\)");
    private static final Pattern TAKEN = Pattern.compile("container 101: (\\d+) of the (\\d+) steps its model on pve1 kept");

    @Test
    void aMigratedContainerKeepsItsStepsOnTheNewNodeAndOneModelDecidesForItAtATime(@TempDir java.nio.file.Path tmp) throws Exception {
        DemoRun run = DemoRun.run(tmp, "--cluster", "--fast-forward", "--duration", "90", "--migrate", "101:pve2:45");
        try {
            run.assertExitedCleanly();
            Matcher started = STARTED.matcher(run.output());
            Matcher moved = MOVED.matcher(run.output());
            assertThat(started.find()).as("migration start; output tail:\n%s", run.tail()).isTrue();
            assertThat(moved.find()).as("migration end; output tail:\n%s", run.tail()).isTrue();
            Instant lockedAt = Instant.parse(started.group(1));
            Instant movedAt = Instant.parse(moved.group(1));

            String logs = Files.readString(run.dir().resolve("lxc_monitors_and_models.out"), StandardCharsets.UTF_8);
            Matcher taken = TAKEN.matcher(logs);
            assertThat(taken.find()).as("the take-over's log line").isTrue();
            long start = lockedAt.getEpochSecond() - 45;
            long expectedSteps = Math.floorDiv(start + 44, 10) - Math.floorDiv(start, 10) + 1;
            assertThat(Long.parseLong(taken.group(2))).as("steps pve1 kept").isEqualTo(expectedSteps);
            // pve2's monitor first samples 101 at second 52 (started at 50, in the node's files from the tick at 51, sampled
            // every 2 s): a step of pve1's that holds second 52's step start or later overlaps pve2's own and is not taken
            long firstOwnStep = Math.floorDiv(start + 52, 10);
            long expectedTaken = Math.min(expectedSteps, firstOwnStep - Math.floorDiv(start, 10));
            assertThat(Long.parseLong(taken.group(1))).as("steps taken").isEqualTo(expectedTaken);

            List<JsonNode> pve1 = of101(run, "pve1");
            List<JsonNode> pve2 = of101(run, "pve2");
            assertThat(pve2).as("pve2 before the move").isNotEmpty().allMatch(e -> !time(e).isBefore(movedAt));
            assertThat(pve1).as("pve1 from the lock on").filteredOn(e -> !time(e).isBefore(lockedAt)).isNotEmpty()
                    .allMatch(e -> e.path("reason").asText().equals("skipped: locked (migrate)")
                            || e.path("reason").asText().equals("skipped: runs on node pve2, whose model decides for it"));
            Set<Instant> pve1Decided = decidedAt(pve1);
            Set<Instant> pve2Decided = decidedAt(pve2);
            assertThat(pve1Decided).as("cycles where pve1 decided for 101").isNotEmpty().doesNotContainAnyElementsOf(pve2Decided);

            List<JsonNode> grown = pve2.stream().filter(e -> e.path("outcome").asText().equals("applied")
                    && e.path("cores_after").asInt() > e.path("cores_before").asInt()).toList();
            assertThat(grown).as("101 gains cores on pve2").isNotEmpty();
            assertThat(conf(run.dir().resolve("pve2/node/etc/pve/nodes/pve2/lxc"), "101").get("cores"))
                    .isEqualTo(grown.get(grown.size() - 1).path("cores_after").asText());
            assertThat(Files.exists(run.dir().resolve("pve1/node/etc/pve/nodes/pve1/lxc/101.conf"))).as("101's config left pve1").isFalse();
        } finally {
            AtomicFiles.deleteTree(run.dir());
        }
    }

    private static List<JsonNode> of101(DemoRun run, String node) throws java.io.IOException {
        return jsonLines(run.dir().resolve(node).resolve("lxc_autoscale_suggestions.json")).stream()
                .filter(e -> e.path("container_id").asText().equals("101")).toList();
    }

    private static Set<Instant> decidedAt(List<JsonNode> entries) {
        Set<Instant> out = new TreeSet<>();
        for (JsonNode e : entries) {
            if (!e.path("reason").asText().startsWith("skipped:") && !e.path("outcome").asText().equals("recommend_migrate")) {
                out.add(time(e));
            }
        }
        return out;
    }

    private static Instant time(JsonNode entry) {
        return OffsetDateTime.parse(entry.path("timestamp").asText()).toInstant();
    }
}
