package io.lxcautoscale.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.DaemonProcess;
import io.lxcautoscale.common.testing.EtcDefaults;
import io.lxcautoscale.model.testing.FakeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through a real child JVM. */
class ModelMainTest {
    private static final String MAIN = ModelMain.class.getName();

    @TempDir
    Path dir;

    @Test
    void helpListsTheFlags() throws Exception {
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("--once", "--dry-run", "--contamination", "--n_estimators", "explain");
    }

    @Test
    void checkConfigAcceptsTheShippedFileAndRejectsABadOne() throws Exception {
        Path etc = EtcDefaults.etcFile("lxc_autoscale_ml.yaml");
        DaemonProcess.Result ok = DaemonProcess.runMain(MAIN, Map.of("LXC_AUTOSCALE_ML_CONFIG", etc.toString()), "--check-config");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.stdout()).contains("n_estimators: 100");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "scaling:\n  min_ram_mb: 9000\n  max_ram_mb: 8192\n");
        DaemonProcess.Result no = DaemonProcess.runMain(MAIN, Map.of(), "--config", bad.toString(), "--check-config");
        assertThat(no.exitCode()).isEqualTo(2);
        assertThat(no.stderr()).contains("scaling.min_ram_mb");
    }

    @Test
    void rejectedFlagsExplainThemselves() throws Exception {
        Path etc = EtcDefaults.etcFile("lxc_autoscale_ml.yaml");
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--config", etc.toString(), "--smoothing-factor", "0.3", "--check-config");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--smoothing-factor is not supported", "demand_window_hours");
        DaemonProcess.Result bad = DaemonProcess.runMain(MAIN, Map.of(), "--config", etc.toString(), "--contamination", "0.9", "--check-config");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--contamination");
    }

    @Test
    void onceRunsACycleAgainstTheApiAndExplainReadsTheJournal() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StringBuilder lines = new StringBuilder();
        for (int i = 60; i > 0; i--) {
            String t = now.minusSeconds(10L * i).toString().replace("Z", ".000000+00:00");
            lines.append("{\"101\":{\"timestamp\":\"").append(t).append("\",\"cpu_usage_percent\":96.0,\"memory_usage_mb\":700.0,")
                    .append("\"process_count\":10,\"cpu\":{\"used_cores\":1.92}},\"summary\":{\"collected_containers\":1}}\n");
        }
        Path metrics = dir.resolve("metrics.json");
        Files.writeString(metrics, lines);
        Path journal = dir.resolve("suggestions.json");
        try (FakeApi api = new FakeApi()) {
            api.containers("[{\"vmid\":101,\"status\":\"running\",\"cores\":2,\"memory_mb\":2048,\"tags\":[],\"template\":false}]");
            Path config = dir.resolve("ml.yaml");
            Files.writeString(config, "log_file: ''\nlock_file: " + dir.resolve("lock") + "\ndata_file: " + metrics
                    + "\nsuggestions_file: " + journal + "\napi:\n  api_url: " + api.url() + "\n  api_key_file: " + dir.resolve("none") + "\n");
            DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString(), "--once");
            assertThat(r.exitCode()).as(r.stderr() + r.stdout()).isZero();
            assertThat(r.stdout() + r.stderr()).contains("Applying scaling actions for container 101: CPU - Scale Up");
            assertThat(api.requests("/scale/cores")).extracting(FakeApi.Request::body).containsExactly("{\"vm_id\":101,\"cores\":3}");

            DaemonProcess.Result explain = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString(), "explain", "101");
            assertThat(explain.exitCode()).isZero();
            assertThat(explain.stdout()).contains("applied", "cores 2→3");
        }
    }

    @Test
    void originalFlagsMapToRealSettings() {
        ModelMain main = new ModelMain();
        main.dryRun = true;
        main.contamination = 0.1;
        main.nEstimators = 50;
        main.maxSamples = 128;
        main.randomState = 7L;
        main.spikeThreshold = 3.0;
        main.ramChunkSize = 256;
        main.ramUpperLimit = 4096;
        main.verbosity = 2;
        ModelConfig c = main.applyOverrides(io.lxcautoscale.common.config.ConfigLoader.parse("t.yaml", "", ModelConfig::bind).config());
        assertThat(c.dryRun()).isTrue();
        assertThat(c.model().contamination()).isEqualTo(0.1);
        assertThat(c.model().nEstimators()).isEqualTo(50);
        assertThat(c.model().maxSamples()).isEqualTo(128);
        assertThat(c.model().randomState()).isEqualTo(7L);
        assertThat(c.spike().spikeThreshold()).isEqualTo(3.0);
        assertThat(c.policy().memory().stepMb()).isEqualTo(256);
        assertThat(c.policy().memory().maxMb()).isEqualTo(4096);
        assertThat(c.logging().level()).isEqualTo("DEBUG");
    }
}
