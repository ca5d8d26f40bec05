package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.common.testing.DaemonProcess;
import io.lxcautoscale.common.testing.EtcDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through a real child JVM, and the shipped config file. */
class ApiMainTest {
    @TempDir
    Path dir;

    @Test
    void shippedFileDocumentsEveryDefault() throws Exception {
        EtcDefaults.assertDocumentsDefaults(EtcDefaults.etcFile("lxc_autoscale_api.yaml"), ApiConfig::bind, List.of(
                "rate_limiting.max_requests_per_minute", "logging.rotate", "logging.log_format", "error_handling.log_errors",
                "error_handling.notify_on_critical_errors", "error_handling.notification_recipients"));
    }

    @Test
    void helpAndCheckConfigOnTheShippedFile() throws Exception {
        DaemonProcess.Result help = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("lxc_autoscale_api", "--config", "--check-config");
        Path etc = EtcDefaults.etcFile("lxc_autoscale_api.yaml");
        DaemonProcess.Result check = DaemonProcess.runMain(ApiMain.class.getName(), Map.of("LXC_AUTOSCALE_API_CONFIG", etc.toString()),
                "--check-config");
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(check.stdout()).contains("host: 127.0.0.1", "port: 5000");
    }

    @Test
    void brokenFileExits2NamingFileAndKey() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "server:\n  port: 70000\nlimits:\n  max_cores: zero\n");
        DaemonProcess.Result r = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--config", bad.toString(), "--check-config");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(bad.toString(), "server.port", "limits.max_cores");
    }

    @Test
    void deprecatedOriginalKeysWarnWithTheReplacement() throws Exception {
        Path old = dir.resolve("old.yaml");
        Files.writeString(old, "gunicorn:\n  workers: 1\n  threads: 8\nrate_limiting:\n  max_requests_per_minute: 120\n");
        DaemonProcess.Result r = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--config", old.toString(), "--check-config");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).contains("gunicorn.workers", "deprecated", "rate_limiting.max_requests");
    }

    @Test
    void unsafeStartExits2() throws Exception {
        Path cfg = dir.resolve("open.yaml");
        Files.writeString(cfg, "server: {host: 0.0.0.0, port: 0}\nauthentication: {enabled: false}\naudit: {log_file: " + dir.resolve("a.json") + "}\n");
        DaemonProcess.Result r = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--config", cfg.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr() + r.stdout()).contains("authentication.enabled", "not loopback");
    }

    @Test
    void aPortAlreadyInUseIsNamedWithWhatToDo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path keys = dir.resolve("keys");
            Files.writeString(keys, "k-0123456789abcdef0123456789abcdef\n");
            Path cfg = dir.resolve("busy.yaml");
            Files.writeString(cfg, "server: {host: 127.0.0.1, port: " + taken.getLocalPort()
                    + "}\nauthentication: {api_key_file: " + keys + "}\naudit: {log_file: " + dir.resolve("a.json") + "}\n");
            DaemonProcess.Result r = DaemonProcess.runMain(ApiMain.class.getName(), Map.of(), "--config", cfg.toString());
            assertThat(r.exitCode()).as(r.stderr() + r.stdout()).isEqualTo(1);
            assertThat(r.stderr() + r.stdout()).contains("127.0.0.1:" + taken.getLocalPort(), "already in use", "server.port");
        }
    }
}
