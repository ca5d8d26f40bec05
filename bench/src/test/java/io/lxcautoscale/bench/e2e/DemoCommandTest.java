package io.lxcautoscale.bench.e2e;

import static io.lxcautoscale.bench.e2e.DemoOutputFiles.conf;
import static io.lxcautoscale.bench.e2e.DemoOutputFiles.jsonLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, {@code ./demo.sh}, in its fast-forward mode: the simulated node, the monitor and the
 * model run on the simulator's clock, so the decisions do not depend on how loaded the machine is. The test
 * reads what the daemons wrote (the model's journal, the API's audit log, the node's config files), not the
 * demo's own summary alone.
 *
 * <p>Expectations come from {@code sim/scenarios/default.yaml} and the demo's defaults, by hand: 101 wants
 * 2.6 cores and has 1 (it must gain cores), 102 uses 0.03 of its 8 cores (it must lose cores), 103 (1 core,
 * 2048 MiB) is in the demo's {@code ignore_lxc}, 104 (6 cores, 4096 MiB) carries the tag {@code autoscale-off}.
 */
class DemoCommandTest {
    private static final int SIMULATED_SECONDS = 20;
    private static final Pattern SUMMARY = Pattern.compile("demo stopped: (\\d+) scale-up\\(s\\) and (\\d+) scale-down\\(s\\) applied");
    private static final Pattern FAST_FORWARD = Pattern.compile("fast-forward: (\\d+) simulated seconds, (\\d+) model cycle\\(s\\) \\((\\d+) failed\\)");

    @Test
    void fastForwardDemoScalesBothWaysAndLeavesIgnoredAndOptedOutContainersAlone(@TempDir Path tmp) throws Exception {
        DemoRun run = DemoRun.run(tmp, "--fast-forward", "--duration", Integer.toString(SIMULATED_SECONDS));
        try {
            run.assertExitedCleanly();
            checkRun(run.output(), run.dir(), run.tail());
        } finally {
            AtomicFiles.deleteTree(run.dir());
        }
    }

    private static void checkRun(String text, Path dir, String tail) throws IOException {
        Matcher ff = FAST_FORWARD.matcher(text);
        assertThat(ff.find()).as("fast-forward line; output tail:\n%s", tail).isTrue();
        assertThat(Integer.parseInt(ff.group(1))).as("simulated seconds").isEqualTo(SIMULATED_SECONDS);
        // the model runs every interval_seconds (5 in the demo's configuration) of simulated time
        assertThat(Integer.parseInt(ff.group(2))).as("model cycles").isEqualTo(SIMULATED_SECONDS / 5);
        assertThat(Integer.parseInt(ff.group(3))).as("failed model cycles").isZero();

        List<JsonNode> journal = jsonLines(dir.resolve("lxc_autoscale_suggestions.json"));
        List<JsonNode> audit = jsonLines(dir.resolve("lxc_autoscale_api_audit.json"));
        Path confs = dir.resolve("node/etc/pve/nodes/pve-sim/lxc");

        JsonNode up = firstAppliedCoreChange(journal, "101").orElseThrow(() -> new AssertionError("no applied core change of 101"));
        assertThat(up.path("cpu_action").asText()).isEqualTo("increase");
        assertThat(up.path("cores_before").asInt()).isEqualTo(1);
        // the demo's configuration caps cores at scaling.max_cpu_cores: 6
        assertThat(up.path("cores_after").asInt()).isBetween(2, 6);
        JsonNode down = firstAppliedCoreChange(journal, "102").orElseThrow(() -> new AssertionError("no applied core change of 102"));
        assertThat(down.path("cpu_action").asText()).isEqualTo("decrease");
        assertThat(down.path("cores_before").asInt()).isEqualTo(8);
        assertThat(down.path("cores_after").asInt()).isBetween(1, 6);

        for (String vmid : List.of("101", "102")) {
            // every applied core change went through the API, and the node's config holds the last one
            List<JsonNode> changes = appliedCoreChanges(journal, vmid);
            for (JsonNode change : changes) {
                assertThat(audit).as("audit of POST /scale/cores %s -> %d", vmid, change.path("cores_after").asInt())
                        .anyMatch(a -> a.path("route").asText().equals("/scale/cores") && a.path("status").asInt() == 200
                                && a.path("params").path("vm_id").asText().equals(vmid)
                                && a.path("params").path("cores").asInt() == change.path("cores_after").asInt());
            }
            assertThat(conf(confs, vmid).get("cores")).as("cores of %s in its config", vmid)
                    .isEqualTo(changes.get(changes.size() - 1).path("cores_after").asText());
        }

        Map<String, Map<String, String>> untouched = Map.of("103", Map.of("cores", "1", "memory", "2048"),
                "104", Map.of("cores", "6", "memory", "4096"));
        for (Map.Entry<String, Map<String, String>> e : untouched.entrySet()) {
            String vmid = e.getKey();
            Map<String, String> conf = conf(confs, vmid);
            assertThat(conf).as("config of %s", vmid).containsAllEntriesOf(e.getValue());
            List<JsonNode> entries = journal.stream().filter(j -> j.path("container_id").asText().equals(vmid)).toList();
            assertThat(entries).as("journal of %s: one entry per model cycle, all skipped", vmid).hasSize(SIMULATED_SECONDS / 5)
                    .allMatch(j -> j.path("outcome").asText().equals("skipped"));
            assertThat(audit).as("API calls about %s", vmid).noneMatch(a -> a.path("params").path("vm_id").asText().equals(vmid));
        }

        Matcher summary = SUMMARY.matcher(text);
        assertThat(summary.find()).as("summary line; output tail:\n%s", tail).isTrue();
        assertThat(Integer.parseInt(summary.group(1))).as("scale-ups applied").isGreaterThanOrEqualTo(1);
        assertThat(Integer.parseInt(summary.group(2))).as("scale-downs applied").isGreaterThanOrEqualTo(1);
    }

    private static Optional<JsonNode> firstAppliedCoreChange(List<JsonNode> journal, String vmid) {
        return appliedCoreChanges(journal, vmid).stream().findFirst();
    }

    private static List<JsonNode> appliedCoreChanges(List<JsonNode> journal, String vmid) {
        return journal.stream().filter(j -> j.path("container_id").asText().equals(vmid) && j.path("outcome").asText().equals("applied")
                && !j.path("cpu_action").asText().equals("none")).toList();
    }
}
