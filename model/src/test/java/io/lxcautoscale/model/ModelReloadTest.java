package io.lxcautoscale.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.ChildDaemon;
import io.lxcautoscale.model.testing.FakeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemctl reload lxc_autoscale_ml}: SIGHUP to a real model process. A bad file changes nothing; a good one
 * takes effect while the metrics position, the history and the cooldowns stay.
 */
class ModelReloadTest {
    private static final String MAIN = ModelMain.class.getName();
    private static final String FIRST_KEY = "model-key-one-0123456789";
    private static final String ROTATED_KEY = "model-key-two-9876543210";
    private static final Pattern CYCLE = Pattern.compile("cycle: \\d+ snapshot\\(s\\) read");

    @TempDir
    Path dir;

    @Test
    void aBadFileChangesNothingAndAGoodOneTakesEffectKeepingPositionHistoryAndCooldowns() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path metrics = dir.resolve("metrics.json");
        StringBuilder lines = new StringBuilder();
        for (int i = 60; i > 0; i--) {
            lines.append(line(now.minusSeconds(10L * i)));
        }
        Files.writeString(metrics, lines);
        Path key = Files.writeString(dir.resolve("api_key"), FIRST_KEY + "\n");
        Path config = dir.resolve("ml.yaml");

        try (FakeApi api = new FakeApi()) {
            api.containers("[{\"vmid\":101,\"status\":\"running\",\"cores\":2,\"memory_mb\":2048,\"tags\":[],\"template\":false}]");
            Files.writeString(config, config(api, metrics, key, true, ""));
            try (ChildDaemon model = ChildDaemon.start(MAIN, dir.resolve("console.txt"), "--config", config.toString())) {
                model.awaitOutput(0, "cycle: 60 snapshot(s) read, 1 container(s) decided, 1 change(s): 0 applied, 0 failed, 0 skipped (dry run)");

                // invalid: --check-config's message; dry run stays on, nothing is applied
                Files.writeString(config, config(api, metrics, key, false, "  min_ram_mb: 9000\n  max_ram_mb: 8192\n"));
                assertThat(model.hangupExpectingRefusal(config)).contains("scaling.min_ram_mb");
                int refused = model.mark();
                model.await("a cycle after the refused reload", () -> CYCLE.matcher(model.outputAfter(refused)).find());
                assertThat(model.outputAfter(refused)).contains("(dry run)");
                assertThat(api.requests("/scale/cores")).isEmpty();

                // valid: dry run off and the rotated key, from the next cycle; the metrics file is read on from where it was
                Files.writeString(key, ROTATED_KEY + "\n");
                Files.writeString(config, config(api, metrics, key, false, ""));
                int mark = model.mark();
                model.hangup();
                model.awaitOutput(mark, "new settings in effect from the next cycle");
                Files.writeString(metrics, line(Instant.now().truncatedTo(ChronoUnit.SECONDS)), StandardOpenOption.APPEND);
                model.awaitOutput(mark, "cycle: 1 snapshot(s) read, 1 container(s) decided, 1 change(s): 1 applied");
                assertThat(api.requests("/scale/cores")).extracting(FakeApi.Request::body).containsExactly("{\"vm_id\":101,\"cores\":3}");
                assertThat(api.requests("/scale/cores")).extracting(FakeApi.Request::apiKey).containsExactly(ROTATED_KEY);

                // another reload: the cooldown of that change is still known, so the next cycles change nothing
                mark = model.mark();
                model.hangup();
                model.awaitOutput(mark, "new settings in effect from the next cycle");
                int reloaded = model.mark();
                model.await("two cycles after the reload", () -> CYCLE.matcher(model.outputAfter(reloaded)).results().count() >= 2);
                assertThat(api.requests("/scale/cores")).as("no second increase inside up_cooldown_seconds").hasSize(1);
                assertThat(model.outputAfter(reloaded)).doesNotContain("60 snapshot(s) read");

                assertThat(model.stop()).isZero();
            }
        }
    }

    private String config(FakeApi api, Path metrics, Path key, boolean dryRun, String moreScaling) {
        return "log_file: ''\nlock_file: " + dir.resolve("lock") + "\ndata_file: " + metrics
                + "\nsuggestions_file: " + dir.resolve("suggestions.json")
                + "\ninterval_seconds: 5\nmax_metrics_age_seconds: 3600\n"
                + "scaling:\n  dry_run: " + dryRun + "\n" + moreScaling
                + "api:\n  api_url: " + api.url() + "\n  api_key_file: " + key + "\n";
    }

    private static String line(Instant t) {
        return "{\"101\":{\"timestamp\":\"" + t.toString().replace("Z", ".000000+00:00")
                + "\",\"cpu_usage_percent\":96.0,\"memory_usage_mb\":700.0,\"process_count\":10,\"cpu\":{\"used_cores\":1.92}},"
                + "\"summary\":{\"collected_containers\":1}}\n";
    }
}
