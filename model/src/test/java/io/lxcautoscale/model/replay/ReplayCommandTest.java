package io.lxcautoscale.model.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        ReplayCommand c = new ReplayCommand();
        c.streams(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(c).execute(args);
    }

    private static Path planetlab(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("planetlab-20110303"));
        for (int f = 0; f < 3; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 288; i++) {
                sb.append((i * 7 + f * 13) % 100).append('\n');
            }
            Files.writeString(dir.resolve("node_" + f), sb);
        }
        Files.writeString(dir.resolve("short"), "5\n6\n");
        return dir;
    }

    @Test
    void replaysPlanetLabAndWritesJsonAndChart(@TempDir Path tmp) throws IOException {
        Path dir = planetlab(tmp);
        Path json = tmp.resolve("out/replay.json");
        Path chart = tmp.resolve("out/replay.svg");

        int code = run("--traces", dir.toString(), "--format", "planetlab", "--policy", "static", "original", "vpa",
                "autopilot", "--json", json.toString(), "--chart", chart.toString());

        assertThat(code).as(err.toString()).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("replay: format planetlab, 3 traces, 864 steps").contains("static").contains("autopilot")
                .contains("fewer than 288 steps=1");
        JsonNode root = Json.mapper().readTree(json.toFile());
        assertThat(root.get("format").asText()).isEqualTo("planetlab");
        assertThat(root.get("traces").asInt()).isEqualTo(3);
        assertThat(root.get("steps").asLong()).isEqualTo(864);
        assertThat(root.at("/skipped/traces").asInt()).isEqualTo(1);
        assertThat(root.at("/skipped/reasons/fewer than 288 steps").asInt()).isEqualTo(1);
        JsonNode stat = root.get("policies").get(0);
        assertThat(stat.get("name").asText()).isEqualTo("static");
        assertThat(stat.get("cpu_shortage").asDouble()).isZero();
        assertThat(stat.get("memory_slack").isNull()).isTrue();
        assertThat(stat.get("oom_steps").isNull()).isTrue();
        assertThat(root.get("policies")).hasSize(4);
        assertThat(root.at("/policies/2/cpu_slack").asDouble()).isBetween(0.0, 1.0);
        String svg = Files.readString(chart);
        assertThat(svg).startsWith("<svg").contains("vpa").contains("no memory in this trace set").endsWith("</svg>\n");
    }

    @Test
    void badArgumentsGiveAClearMessageAndExitCode(@TempDir Path tmp) throws IOException {
        assertThat(run("--traces", tmp.toString(), "--format", "csv")).isEqualTo(2);
        assertThat(err.toString()).contains("--format must be bitbrains, planetlab or metrics");
        assertThat(run("--traces", planetlab(tmp).toString(), "--format", "planetlab", "--policy", "magic")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown policy 'magic'").contains("vpa");
        assertThat(run("--traces", tmp.resolve("missing").toString(), "--format", "bitbrains")).isEqualTo(1);
        assertThat(err.toString()).contains("missing");
    }
}
