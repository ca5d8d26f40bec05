package io.lxcautoscale.model.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The replay figures published for the trace sample bundled in the repository ({@code traces/}) are what the
 * replay computes: the five default policies are replayed over each sample and compared with the tables of
 * {@code docs/replay.md} ("Figures on the bundled sample"), within the tolerance stated there.
 */
class ReplaySampleFiguresTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final double SHARE_TOLERANCE = 0.005;       // CPU slack, CPU shortage, memory slack (absolute)
    static final double OOM_FREE_TOLERANCE = 0.001;    // OOM-free days as a fraction: ±0.1 percentage point
    static final double CHANGES_TOLERANCE = 0.005;     // changes per container-day

    /** One row of a documented table; {@code null} where the table has "-" (no memory on PlanetLab). */
    record Row(String policy, double cpuSlack, double cpuShortage, Double memorySlack, Integer oomSteps,
               Double oomFreeDays, double changesPerDay) {
    }

    @Test
    void bitbrainsSampleGivesTheDocumentedFigures(@TempDir Path tmp) throws IOException {
        JsonNode result = replay(tmp, "bitbrains-rnd-2013-7", "bitbrains");
        assertThat(result.get("traces").asInt()).isEqualTo(5);
        assertThat(result.get("steps").asLong()).isEqualTo(46_678);
        assertThat(result.at("/skipped/traces").asInt()).isEqualTo(1);
        assertThat(result.at("/skipped/reasons/fewer than 288 steps").asInt()).isEqualTo(1);
        assertThat(result.at("/skipped/rows").asLong()).isEqualTo(7_610);
        assertThat(result.at("/skipped/row_reasons/non-positive core count").asLong()).isEqualTo(1_267);
        assertThat(result.at("/skipped/row_reasons/timestamp does not advance").asLong()).isEqualTo(6_343);
        assertMatches(result, documented("bitbrains"));
    }

    @Test
    void planetLabSampleGivesTheDocumentedFigures(@TempDir Path tmp) throws IOException {
        JsonNode result = replay(tmp, "planetlab-20110303", "planetlab");
        assertThat(result.get("traces").asInt()).isEqualTo(11);
        assertThat(result.get("steps").asLong()).isEqualTo(11 * 288);
        assertThat(result.at("/skipped/traces").asInt()).isZero();
        assertThat(result.at("/skipped/rows").asLong()).isZero();
        assertMatches(result, documented("planetlab"));
    }

    private static JsonNode replay(Path tmp, String folder, String format) throws IOException {
        Path dir = REPO.resolve("traces").resolve(folder);
        Path json = tmp.resolve(format + ".json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ReplayCommand command = new ReplayCommand();
        command.streams(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = new CommandLine(command).execute("--traces", dir.toString(), "--format", format, "--json", json.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return Json.mapper().readTree(json.toFile());
    }

    private static void assertMatches(JsonNode result, List<Row> expected) {
        assertThat(expected).extracting(Row::policy).containsExactly("static", "original", "vpa", "autopilot", "default");
        JsonNode policies = result.get("policies");
        assertThat(policies).hasSize(expected.size());
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < expected.size(); i++) {
            Row want = expected.get(i);
            JsonNode got = policies.get(i);
            String name = want.policy();
            soft.assertThat(got.get("name").asText()).isEqualTo(name);
            soft.assertThat(got.get("cpu_slack").asDouble()).as(name + " cpu_slack").isCloseTo(want.cpuSlack(), within(SHARE_TOLERANCE));
            soft.assertThat(got.get("cpu_shortage").asDouble()).as(name + " cpu_shortage")
                    .isCloseTo(want.cpuShortage(), within(SHARE_TOLERANCE));
            soft.assertThat(got.get("changes_per_day").asDouble()).as(name + " changes_per_day")
                    .isCloseTo(want.changesPerDay(), within(CHANGES_TOLERANCE));
            if (want.memorySlack() == null) {
                soft.assertThat(got.get("memory_slack").isNull()).as(name + " memory_slack is null").isTrue();
                soft.assertThat(got.get("oom_steps").isNull()).as(name + " oom_steps is null").isTrue();
                soft.assertThat(got.get("oom_free_days").isNull()).as(name + " oom_free_days is null").isTrue();
            } else {
                soft.assertThat(got.get("memory_slack").asDouble()).as(name + " memory_slack")
                        .isCloseTo(want.memorySlack(), within(SHARE_TOLERANCE));
                soft.assertThat(got.get("oom_steps").asInt()).as(name + " oom_steps").isEqualTo(want.oomSteps());
                soft.assertThat(got.get("oom_free_days").asDouble()).as(name + " oom_free_days")
                        .isCloseTo(want.oomFreeDays(), within(OOM_FREE_TOLERANCE));
            }
        }
        soft.assertAll();
    }

    /** The table under {@code <!-- sample-figures: <name> -->} in docs/replay.md. */
    static List<Row> documented(String name) throws IOException {
        List<String> lines = Files.readAllLines(REPO.resolve("docs/replay.md"));
        int marker = lines.indexOf("<!-- sample-figures: " + name + " -->");
        assertThat(marker).as("docs/replay.md has the marker of the " + name + " table").isNotNegative();
        assertThat(lines.get(marker + 1)).startsWith("| policy | CPU slack | CPU shortage | memory slack | OOM steps | OOM-free days");
        List<Row> rows = new ArrayList<>();
        for (int i = marker + 3; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cell = lines.get(i).substring(1).split("\\|");
            rows.add(new Row(cell[0].trim(), number(cell[1]), number(cell[2]), optional(cell[3]),
                    cell[4].isBlank() || cell[4].trim().equals("-") ? null : Integer.valueOf(cell[4].trim().replace(",", "")),
                    cell[5].trim().equals("-") ? null : number(cell[5].replace("%", "")) / 100, number(cell[6])));
        }
        return rows;
    }

    private static double number(String cell) {
        return Double.parseDouble(cell.trim().replace(",", ""));
    }

    private static Double optional(String cell) {
        return cell.trim().equals("-") ? null : number(cell);
    }
}
