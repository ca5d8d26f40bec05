package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.testing.DaemonProcess;
import io.lxcautoscale.common.testing.EtcDefaults;
import io.lxcautoscale.common.testing.HostTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through a real child JVM, as systemd would start it. */
class MonitorCliTest {
    private static final String MAIN = MonitorMain.class.getName();

    @TempDir
    Path dir;

    @Test
    void helpListsTheMonitorFlags() throws Exception {
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("--once", "--interval", "--config", "--check-config");
    }

    @Test
    void checkConfigAcceptsTheShippedFile() throws Exception {
        Path etc = EtcDefaults.etcFile("lxc_monitor.yaml");
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of("LXC_MONITOR_CONFIG", etc.toString()), "--check-config");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("check_interval: 10", "cgroup_root: /sys/fs/cgroup");
    }

    @Test
    void checkConfigRejectsABrokenFileNamingFileAndKey() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "monitoring:\n  check_interval: soon\n");
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--config", bad.toString(), "--check-config");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(bad.toString(), "monitoring.check_interval");
    }

    @Test
    void onceWritesExactlyOneSnapshotWithRatesAgainstAGeneratedTree() throws Exception {
        HostTree tree = new HostTree(dir.resolve("host"), true);
        tree.add(101, "cores: 2\nmemory: 1024\nswap: 0\n");
        tree.add(102, "cores: 1\nmemory: 512\n");
        Path metrics = dir.resolve("lxc_metrics.json");
        Path config = dir.resolve("lxc_monitor.yaml");
        Files.writeString(config, String.join("\n",
                "logging:", "  log_file: " + dir.resolve("monitor.log"), "  log_level: INFO",
                "monitoring:", "  export_file: " + metrics,
                "paths:", "  cgroup_root: " + tree.cgroup, "  pve_lxc_dir: " + tree.pve, "  proc_root: " + tree.proc,
                "  sys_class_net: " + tree.net,
                "lock_file: " + dir.resolve("monitor.lock"), ""));
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString(), "--once", "--interval", "0.5");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = Files.readAllLines(metrics);
        assertThat(lines).hasSize(1);
        JsonNode snap = Json.mapper().readTree(lines.get(0));
        assertThat(snap.has("101")).isTrue();
        assertThat(snap.has("102")).isTrue();
        assertThat(snap.at("/101/cpu_usage_percent").asDouble()).as("counters did not move: 0 %, present").isZero();
        assertThat(snap.at("/101/interval_seconds").asDouble()).isPositive();
        assertThat(snap.at("/101/rates/disk_read_bytes_per_s").isNumber()).isTrue();
        assertThat(snap.at("/summary/collected_containers").asInt()).isEqualTo(2);
        assertThat(snap.at("/summary/cgroup_version").asInt()).isEqualTo(2);
    }

    @Test
    void intervalOutOfRangeIsAConfigurationError() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "logging:\n  log_file: " + dir.resolve("m.log") + "\nlock_file: " + dir.resolve("l") + "\n");
        DaemonProcess.Result r = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString(), "--once", "--interval", "0");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
