package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.testing.ChildDaemon;
import io.lxcautoscale.common.testing.HostTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code systemctl reload lxc_monitor}: SIGHUP to a real monitor process re-reads its YAML. */
class MonitorReloadTest {
    private static final String MAIN = MonitorMain.class.getName();

    @TempDir
    Path dir;

    @Test
    void aValidFileTakesEffectInTheSameMetricsFileAndAnInvalidOneIsRefusedWithTheCheckConfigMessage() throws Exception {
        HostTree tree = new HostTree(dir.resolve("host"), true);
        tree.add(101, "cores: 1\n");
        Path metrics = dir.resolve("lxc_metrics.json");
        Path config = dir.resolve("lxc_monitor.yaml");
        Files.writeString(config, config(tree, metrics, "INFO", true, 1));

        try (ChildDaemon monitor = ChildDaemon.start(MAIN, dir.resolve("console.txt"), "--config", config.toString())) {
            monitor.await("two snapshots with swap figures", () -> lines(metrics).size() >= 2);
            assertThat(container(lines(metrics).get(1)).has("swap_usage_mb")).isTrue();

            // valid: swap off and DEBUG take effect; a new export_file needs a restart and is not used
            Path otherMetrics = dir.resolve("other.json");
            Files.writeString(config, config(tree, otherMetrics, "DEBUG", false, 1));
            int mark = monitor.mark();
            monitor.hangup();
            monitor.awaitOutput(mark, "lxc_monitor: configuration reloaded");
            assertThat(monitor.outputAfter(mark)).contains("monitoring.export_file changed from " + metrics + " to "
                    + otherMetrics + ": needs restart; " + metrics + " stays in effect until then");
            int reloadedAt = lines(metrics).size();
            monitor.await("a snapshot without swap figures after the reload",
                    () -> lines(metrics).stream().skip(reloadedAt).anyMatch(l -> !container(l).has("swap_usage_mb")));
            monitor.awaitOutput(mark, "DEBUG");
            assertThat(otherMetrics).doesNotExist();
            List<String> after = lines(metrics);
            assertThat(container(after.get(0)).has("swap_usage_mb")).as("the file is appended to, not started over").isTrue();
            // a new collector starts from a fresh baseline: rates are back from its second snapshot on
            monitor.await("a snapshot without swap figures but with rates",
                    () -> lines(metrics).stream().skip(reloadedAt).map(MonitorReloadTest::container)
                            .anyMatch(c -> !c.has("swap_usage_mb") && c.has("cpu_usage_percent")));

            // invalid: the same message as --check-config, the running settings stay
            Files.writeString(config, config(tree, metrics, "INFO", true, 0));
            assertThat(monitor.hangupExpectingRefusal(config)).contains("monitoring.check_interval");
            int refusedAt = lines(metrics).size();
            monitor.await("two more snapshots after the refused reload", () -> lines(metrics).size() >= refusedAt + 2);
            assertThat(lines(metrics).stream().skip(refusedAt).map(MonitorReloadTest::container))
                    .as("swap stays off: the refused file's enable_swap: true was not applied")
                    .allSatisfy(c -> assertThat(c.has("swap_usage_mb")).isFalse());
            assertThat(monitor.stop()).isZero();
        }
    }

    private static String config(HostTree tree, Path metrics, String level, boolean swap, int interval) {
        return "logging:\n  log_file: " + tree.base.resolveSibling("monitor.log") + "\n  log_level: " + level + "\n"
                + "monitoring:\n  export_file: " + metrics + "\n  check_interval: " + interval + "\n  enable_swap: " + swap + "\n"
                + "paths:\n  cgroup_root: " + tree.cgroup + "\n  pve_lxc_dir: " + tree.pve + "\n  proc_root: " + tree.proc
                + "\n  sys_class_net: " + tree.net + "\n"
                + "lock_file: " + tree.base.resolveSibling("monitor.lock") + "\n";
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode container(String line) {
        try {
            return Json.mapper().readTree(line).path("101");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
