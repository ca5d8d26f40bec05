package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status routes against small hand-written metrics and journal files; every expected figure below was worked
 * out by hand from those lines (see the comments), not taken from the code.
 */
class StatusRoutesTest {
    @TempDir
    Path dir;

    private static final String SUMMARY = "\"summary\":{\"hostname\":\"pve1\",\"host_cpus\":8,\"host_memory_mb\":16384}";

    private static String sample(String at, double cpu, int cores, int used, int memory, String extra) {
        return "{\"timestamp\":\"" + at + "\",\"cpu\":{\"used_cores\":" + cpu + "},\"memory\":{\"used_mb\":" + used + extra + "},"
                + "\"allocation\":{\"cores\":" + cores + ",\"memory_mb\":" + memory + ",\"hostname\":\"ct-" + cores + "\",\"tags\":[%TAGS%]}}";
    }

    private Path metrics;
    private Path journal;

    private ApiHarness start() throws IOException {
        metrics = dir.resolve("metrics.json");
        journal = dir.resolve("journal.json");
        Path model = dir.resolve("model.yaml");
        Files.writeString(model, "node: {reserve_cores: 2, reserve_memory_mb: 4096}\nopt_out_tags: [autoscale-off]\n"
                + "tiers:\n  names: [web]\n  web: {tags: [web]}\n");
        List<String> lines = new ArrayList<>();
        // 103 only at 10:00:05, more than an hour before the newest time (12:01:15): outside the 1 h window
        lines.add("{\"103\":" + sample("2026-08-18T10:00:05.000000+00:00", 3.0, 3, 30, 64, "").replace("%TAGS%", "") + "," + SUMMARY + "}");
        lines.add("{\"101\":" + sample("2026-08-18T12:00:05.000000+00:00", 0.5, 2, 300, 512, "").replace("%TAGS%", "\"web\"")
                + ",\"102\":" + sample("2026-08-18T12:00:05.000000+00:00", 1.0, 1, 100, 256, "").replace("%TAGS%", "\"autoscale-off\"")
                + "," + SUMMARY + "}");
        lines.add("{\"101\":" + sample("2026-08-18T12:00:35.000000+00:00", 1.5, 2, 400, 512, "").replace("%TAGS%", "\"web\"")
                + ",\"102\":" + sample("2026-08-18T12:00:35.000000+00:00", 0.2, 1, 120, 256, ",\"events\":{\"oom_kill\":1}")
                .replace("%TAGS%", "\"autoscale-off\"") + "," + SUMMARY + "}");
        lines.add("not json: a corrupt line is skipped");
        lines.add("{\"101\":" + sample("2026-08-18T12:01:10.000000+00:00", 1.0, 4, 350, 1024, "").replace("%TAGS%", "\"web\"")
                + "," + SUMMARY + "}");
        Files.write(metrics, lines, StandardCharsets.UTF_8);
        Files.write(journal, List.of(
                "{\"timestamp\":\"2026-08-18T12:00:40.000000+00:00\",\"container_id\":\"101\",\"cpu_action\":\"increase\",\"cpu_amount\":2,"
                        + "\"ram_action\":\"increase\",\"ram_amount\":512,\"confidence\":87.5,\"reason\":\"cpu busy\",\"anomaly_score\":null,"
                        + "\"anomaly_threshold\":null,\"anomalous\":false,\"urgent\":false,\"cores_before\":2,\"cores_after\":4,"
                        + "\"memory_mb_before\":512,\"memory_mb_after\":1024,\"outcome\":\"applied\",\"cpu_outcome\":\"applied\",\"ram_outcome\":\"applied\"}",
                "{\"timestamp\":\"2026-08-18T12:00:50.000000+00:00\",\"container_id\":\"102\",\"cpu_action\":\"none\",\"cpu_amount\":0,"
                        + "\"ram_action\":\"none\",\"ram_amount\":0,\"confidence\":0.0,\"reason\":\"skipped: opted out by tag 'autoscale-off'\","
                        + "\"cores_before\":1,\"cores_after\":1,\"memory_mb_before\":256,\"memory_mb_after\":256,\"outcome\":\"skipped\"}",
                "{\"timestamp\":\"2026-08-18T12:01:15.000000+00:00\",\"container_id\":\"101\",\"cpu_action\":\"none\",\"cpu_amount\":0,"
                        + "\"ram_action\":\"none\",\"ram_amount\":0,\"confidence\":60.25,\"reason\":\"within band\",\"anomaly_score\":0.4321,"
                        + "\"anomaly_threshold\":0.6,\"cores_before\":4,\"cores_after\":4,\"memory_mb_before\":1024,\"memory_mb_after\":1024,"
                        + "\"outcome\":\"no-change\"}"), StandardCharsets.UTF_8);
        return new ApiHarness(dir, "status:\n  metrics_file: " + metrics + "\n  suggestions_file: " + journal + "\n  model_config_file: " + model
                + "\n  window_hours: 1\n  bucket_seconds: 60\n  refresh_seconds: 0\n  first_read_wait_seconds: 60\n");
    }

    @Test
    void overviewShowsNodeAndOneRowPerContainerInTheWindow() throws IOException {
        try (ApiHarness api = start()) {
            ApiHarness.Reply r = api.get("/status/overview");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode d = r.json().path("data");
            assertThat(d.path("complete").asBoolean()).isTrue();
            JsonNode h = d.path("history");
            assertThat(h.path("latest_sample_at").asText()).isEqualTo("2026-08-18T12:01:10.000000+00:00");
            // window end = newest time in either file = the journal's 12:01:15
            assertThat(h.path("window_end").asLong()).isEqualTo(Instant.parse("2026-08-18T12:01:15Z").getEpochSecond());
            assertThat(h.path("window_start").asLong()).isEqualTo(Instant.parse("2026-08-18T11:01:15Z").getEpochSecond());
            assertThat(h.path("samples_read").asLong()).isEqualTo(6); // 103 once, 101 three times, 102 twice
            assertThat(h.path("journal_entries_read").asLong()).isEqualTo(3);

            JsonNode node = d.path("node");
            assertThat(node.path("hostname").asText()).isEqualTo("pve1");
            assertThat(node.path("host_cpus").asInt()).isEqualTo(8);
            assertThat(node.path("host_memory_mb").asLong()).isEqualTo(16384);
            assertThat(node.path("reserve_cores").asInt()).isEqualTo(2);
            assertThat(node.path("reserve_memory_mb").asInt()).isEqualTo(4096);
            // the newest line holds 101 only: 4 cores, 1024 MiB allocated, 1.0 core and 350 MiB used
            assertThat(node.path("containers_in_latest_sample").asInt()).isEqualTo(1);
            assertThat(node.path("allocated_cores").asDouble()).isEqualTo(4.0);
            assertThat(node.path("allocated_memory_mb").asDouble()).isEqualTo(1024.0);
            assertThat(node.path("cpu_used_cores").asDouble()).isEqualTo(1.0);
            assertThat(node.path("memory_used_mb").asDouble()).isEqualTo(350.0);

            JsonNode rows = d.path("containers");
            assertThat(rows).hasSize(2);
            JsonNode a = rows.get(0);
            assertThat(a.path("vmid").asText()).isEqualTo("101");
            assertThat(a.path("sample_at").asText()).isEqualTo("2026-08-18T12:01:10.000000+00:00");
            assertThat(a.path("cpu_used_cores").asDouble()).isEqualTo(1.0);
            assertThat(a.path("cpu_allocated_cores").asDouble()).isEqualTo(4.0);
            assertThat(a.path("memory_used_mb").asDouble()).isEqualTo(350.0);
            assertThat(a.path("memory_allocated_mb").asDouble()).isEqualTo(1024.0);
            assertThat(a.path("tier").asText()).isEqualTo("web");
            assertThat(a.path("opt_out").isNull()).isTrue();
            assertThat(a.path("last_oom_kill_at").isNull()).isTrue();
            assertThat(a.path("decision").path("outcome").asText()).isEqualTo("no-change");
            assertThat(a.path("decision").path("reason").asText()).isEqualTo("within band");

            JsonNode b = rows.get(1);
            assertThat(b.path("vmid").asText()).isEqualTo("102");
            assertThat(b.path("cpu_used_cores").asDouble()).isEqualTo(0.2);
            assertThat(b.path("memory_used_mb").asDouble()).isEqualTo(120.0);
            assertThat(b.path("tier").asText()).isEqualTo("default");
            assertThat(b.path("opt_out").asText()).isEqualTo("tag autoscale-off");
            assertThat(b.path("last_oom_kill_at").asText()).isEqualTo("2026-08-18T12:00:35.000000+00:00");
            assertThat(b.path("oom_kills_in_window").asLong()).isEqualTo(1);
            assertThat(b.path("decision").path("outcome").asText()).isEqualTo("skipped");
        }
    }

    @Test
    void containerShowsSeriesMarksAndExplainText() throws IOException {
        try (ApiHarness api = start()) {
            ApiHarness.Reply r = api.get("/status/container?vmid=101");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode d = r.json().path("data");
            JsonNode s = d.path("series");
            long minute12 = Instant.parse("2026-08-18T12:00:00Z").getEpochSecond();
            // bucket 12:00 holds 12:00:05 and 12:00:35: CPU mean (0.5 + 1.5) / 2 = 1.0, memory max(300, 400) = 400,
            // allocation last seen 2 cores / 512 MiB; bucket 12:01 holds 12:01:10 alone
            assertThat(s.path("start").toString()).isEqualTo("[" + minute12 + "," + (minute12 + 60) + "]");
            assertThat(s.path("cpu_used_cores").toString()).isEqualTo("[1.0,1.0]");
            assertThat(s.path("cpu_allocated_cores").toString()).isEqualTo("[2.0,4.0]");
            assertThat(s.path("memory_used_mb").toString()).isEqualTo("[400.0,350.0]");
            assertThat(s.path("memory_allocated_mb").toString()).isEqualTo("[512.0,1024.0]");
            // one mark: the no-change entry proposes nothing
            JsonNode marks = d.path("decisions");
            assertThat(marks).hasSize(1);
            assertThat(marks.get(0).path("at").asLong()).isEqualTo(Instant.parse("2026-08-18T12:00:40Z").getEpochSecond());
            assertThat(marks.get(0).path("outcome").asText()).isEqualTo("applied");
            assertThat(marks.get(0).path("cores_after").asInt()).isEqualTo(4);
            assertThat(d.path("explain").get(0).asText()).isEqualTo("2026-08-18T12:00:40.000000+00:00  applied   cores 2→4 (increase), "
                    + "memory 512→1024 MiB (increase), confidence 87.50%, anomaly n/a\n    cpu busy");
            assertThat(d.path("explain").get(1).asText()).isEqualTo("2026-08-18T12:01:15.000000+00:00  no-change cores 4→4 (none), "
                    + "memory 1024→1024 MiB (none), confidence 60.25%, anomaly 0.432 (threshold 0.600)\n    within band");
        }
    }

    @Test
    void appendedLinesAreReadWithoutReadingTheFilesAgain() throws IOException {
        try (ApiHarness api = start()) {
            assertThat(api.get("/status/overview").json().at("/data/history/samples_read").asLong()).isEqualTo(6);
            Files.writeString(metrics, "{\"101\":" + sample("2026-08-18T12:02:05.000000+00:00", 2.0, 4, 500, 1024, "").replace("%TAGS%", "\"web\"")
                    + "," + SUMMARY + "}\n", StandardOpenOption.APPEND);
            JsonNode d = api.get("/status/overview").json().path("data");
            // one more sample, not 6 + 7: only the appended line was read
            assertThat(d.at("/history/samples_read").asLong()).isEqualTo(7);
            assertThat(d.path("containers").get(0).path("cpu_used_cores").asDouble()).isEqualTo(2.0);
            assertThat(d.path("containers").get(0).path("memory_used_mb").asDouble()).isEqualTo(500.0);
        }
    }

    @Test
    void badOrUnknownInputIs4xxAndTheDataNeedsTheKeyButThePageDoesNot() throws IOException {
        try (ApiHarness api = start()) {
            ApiHarness.Reply outside = api.get("/status/container?vmid=103");
            assertThat(outside.status()).isEqualTo(404);
            assertThat(outside.json().path("message").asText()).contains("103").contains("1 h");
            ApiHarness.Reply bad = api.get("/status/container?vmid=abc&extra=1");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("errors")).hasSize(2);
            assertThat(api.get("/status/container").status()).isEqualTo(400);

            assertThat(api.send(api.request("/status/overview").GET().build()).status()).isEqualTo(401);
            assertThat(api.send(api.request("/status/container?vmid=101").GET().build()).status()).isEqualTo(401);
            ApiHarness.Reply page = api.send(api.request("/ui").GET().build());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("<title>LXC AutoScale status</title>").doesNotContain("src=\"http");
            assertThat(api.send(api.request("/").GET().build()).body()).contains("href=\"/ui\"");

            JsonNode paths = api.get("/openapi.json").json().path("paths");
            assertThat(paths.has("/status/overview")).isTrue();
            assertThat(paths.path("/status/container").path("get").path("parameters").get(0).path("name").asText()).isEqualTo("vmid");
            assertThat(paths.has("/ui")).isTrue();
        }
    }
}
