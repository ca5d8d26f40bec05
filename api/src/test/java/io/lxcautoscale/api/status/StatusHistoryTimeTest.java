package io.lxcautoscale.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.api.config.ApiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history reads the writers' time shape and other offsets with the calendar's seconds, and skips samples and
 * journal entries whose timestamp is not a time.
 */
class StatusHistoryTimeTest {
    @TempDir
    Path dir;

    // 2026-08-18 is day 20683 since 1970-01-01 (56 years, 14 of them leap: 20454 days, + 229 days into 2026)
    private static final long AUG_18_13_07_56 = 20683L * 86400 + 13 * 3600 + 7 * 60 + 56;

    private static String line(String vmid, String at) {
        return "{\"" + vmid + "\":{\"timestamp\":\"" + at + "\",\"cpu\":{\"used_cores\":0.5}}}";
    }

    private Map<String, Object> read(List<String> metricsLines, List<String> journalLines) throws IOException {
        Path metrics = dir.resolve("metrics.json");
        Path journal = dir.resolve("journal.json");
        Files.write(metrics, metricsLines, StandardCharsets.UTF_8);
        Files.write(journal, journalLines, StandardCharsets.UTF_8);
        StatusHistory history = new StatusHistory(new ApiConfig.Status(metrics, journal, dir.resolve("model.yaml"),
                Duration.ofHours(24), Duration.ofSeconds(60), Duration.ZERO, 5, Duration.ofSeconds(60)));
        history.refresh();
        return history.overview();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> history(Map<String, Object> overview) {
        return (Map<String, Object>) overview.get("history");
    }

    @SuppressWarnings("unchecked")
    private static List<String> vmids(Map<String, Object> overview) {
        return ((List<Map<String, Object>>) overview.get("containers")).stream().map(r -> (String) r.get("vmid")).toList();
    }

    @Test
    void readsTheWritersShape() throws IOException {
        assertThat(history(read(List.of(line("101", "2026-08-18T13:07:56.123456+00:00")), List.of())).get("window_end"))
                .isEqualTo(AUG_18_13_07_56);
        assertThat(history(read(List.of(line("101", "1970-01-01T00:00:00.000000+00:00")), List.of())).get("window_end"))
                .isEqualTo(0L);
        // 2024-02-29 is day 19782
        assertThat(history(read(List.of(line("101", "2024-02-29T23:59:59.999999+00:00")), List.of())).get("window_end"))
                .isEqualTo(19782L * 86400 + 86399);
    }

    @Test
    void readsOtherOffsetsAndSkipsWhatIsNotATime() throws IOException {
        Map<String, Object> overview = read(List.of(
                line("101", "2026-08-18T13:07:56Z"),
                line("102", "2026-08-18T15:07:56.123456+02:00"), // the same second
                line("103", "2026-02-30T13:07:56.123456+00:00"),
                line("104", "2026-08-18T24:07:56.123456+00:00"),
                line("105", "2026-08-18T13:07:56.12345x+00:00")), List.of(
                "{\"timestamp\":\"2026-08-18T13:08:06.000000+00:00\",\"container_id\":\"101\",\"cpu_action\":\"none\",\"ram_action\":\"none\"}",
                "{\"timestamp\":\"2026-08-18T13:09:96.000000+00:00\",\"container_id\":\"101\",\"cpu_action\":\"none\",\"ram_action\":\"none\"}"));
        Map<String, Object> history = history(overview);
        assertThat(history.get("samples_read")).isEqualTo(2L);
        assertThat(history.get("journal_entries_read")).isEqualTo(1L);
        assertThat(history.get("window_end")).isEqualTo(AUG_18_13_07_56 + 10);
        assertThat(history.get("latest_sample_at")).isEqualTo("2026-08-18T15:07:56.123456+02:00");
        assertThat(vmids(overview)).containsExactly("101", "102");
    }
}
