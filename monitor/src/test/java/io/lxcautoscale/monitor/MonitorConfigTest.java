package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.testing.EtcDefaults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {
    @Test
    void shippedFileDocumentsEveryKeyWithTheCodeDefault() throws Exception {
        // The original's dead keys are accepted but deliberately not shipped (the file lists them in a comment).
        EtcDefaults.assertDocumentsDefaults(EtcDefaults.etcFile("lxc_monitor.yaml"), MonitorConfig::bind,
                List.of("monitoring.parallel_processing", "monitoring.max_workers", "monitoring.retry_limit",
                        "monitoring.retry_delay", "monitoring.command_timeout", "monitoring.max_metrics_entries"));
    }

    @Test
    void defaultsMatchTheOriginalWhereTheyStillMeanSomething() {
        MonitorConfig c = ConfigLoader.parse("(empty)", "", MonitorConfig::bind).config();
        assertThat(c.exportFile()).isEqualTo(Path.of("/var/log/lxc_metrics.json"));
        assertThat(c.checkIntervalSeconds()).isEqualTo(10);
        assertThat(c.logging().file()).isEqualTo(Path.of("/var/log/lxc_monitor.log"));
        assertThat(c.logging().maxSizeMb()).isEqualTo(5);
        assertThat(c.logging().backupCount()).isEqualTo(7);
        assertThat(c.collector().cgroupRoot()).isEqualTo(Path.of("/sys/fs/cgroup"));
        // 8 files (live + 7 rotated) of 64 MiB = the 512 MiB budget
        assertThat(c.maxFileBytes() * (MonitorConfig.ROTATED_FILES_KEPT + 1)).isEqualTo(512L * 1024 * 1024);
    }

    @Test
    void originalKeysThatMeanNothingNowAreAcceptedWithADeprecationWarning() {
        String yaml = "monitoring:\n  parallel_processing: true\n  max_workers: 8\n  retry_limit: 3\n  retry_delay: 2\n"
                + "  command_timeout: 30\n  max_metrics_entries: 1000\n  check_interval: 60\n";
        ConfigLoader.Loaded<MonitorConfig> loaded = ConfigLoader.parse("old.yaml", yaml, MonitorConfig::bind);
        assertThat(loaded.config().checkIntervalSeconds()).isEqualTo(60);
        assertThat(loaded.warnings()).hasSize(6);
        assertThat(String.join("\n", loaded.warnings())).contains("monitoring.max_metrics_entries", "retention_days");
    }

    @Test
    void badValuesNameTheFileAndTheKey() {
        String yaml = "monitoring:\n  check_interval: 0\n  excluded_devices: [\"sd a\"]\npaths:\n  cgroup_root: \"\"\n";
        assertThatThrownBy(() -> ConfigLoader.parse("bad.yaml", yaml, MonitorConfig::bind))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("monitoring.check_interval")
                .hasMessageContaining("monitoring.excluded_devices")
                .hasMessageContaining("paths.cgroup_root");
    }
}
