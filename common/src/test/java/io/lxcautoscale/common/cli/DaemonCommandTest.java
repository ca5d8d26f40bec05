package io.lxcautoscale.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.DaemonProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonCommandTest {
    private static final String MAIN = SampleDaemonMain.class.getName();

    @Test
    void checkConfigPrintsEffectiveValuesAndExitsZero(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("ok.yaml"), "exit_code: 7\n");
        var result = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString(), "--check-config");
        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.stdout()).contains("is valid").contains("exit_code: 7").contains("marker_dir: /tmp");
    }

    @Test
    void brokenConfigExitsTwoNamingFileAndKey(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "exit_code: lots\n");
        var result = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString(), "--check-config");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.stderr()).contains(config.toString()).contains("'exit_code'").contains("\"lots\"");
    }

    @Test
    void configPathComesFromTheEnvironmentWhenNoFlagIsGiven(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("env.yaml"), "exit_code: 9\n");
        var result = DaemonProcess.runMain(MAIN, Map.of("SAMPLE_DAEMON_CONFIG", config.toString()), "--check-config");
        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.stdout()).contains(config.toString()).contains("exit_code: 9");
    }

    @Test
    void missingDefaultConfigIsAConfigError() throws Exception {
        var result = DaemonProcess.runMain(MAIN, Map.of(), "--check-config");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.stderr()).contains("/nonexistent/sample.yaml: file not found");
    }

    @Test
    void unknownFlagIsAUsageErrorAndHelpWorks() throws Exception {
        assertThat(DaemonProcess.runMain(MAIN, Map.of(), "--bogus").exitCode()).isEqualTo(2);
        var help = DaemonProcess.runMain(MAIN, Map.of(), "--help");
        assertThat(help.exitCode()).isEqualTo(0);
        assertThat(help.stdout()).contains("--config").contains("--check-config").contains("--version");
    }

    @Test
    void sigtermStopsCleanlyWithTheDaemonsExitCodeAndSecondInstanceIsRefused(@TempDir Path dir) throws Exception {
        Path lock = dir.resolve("run/sample.lock");
        Path config = Files.writeString(dir.resolve("c.yaml"),
                "marker_dir: " + dir + "\nlock_file: " + lock + "\n");
        Process first = start(config, dir.resolve("first.log"));
        try {
            waitFor(dir.resolve("started"));
            var second = DaemonProcess.runMain(MAIN, Map.of(), "--config", config.toString());
            assertThat(second.exitCode()).isEqualTo(ExitCodes.ALREADY_RUNNING);
            assertThat(second.stderr()).contains("already running");

            first.destroy(); // SIGTERM
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(0);
            assertThat(dir.resolve("stopped")).exists();
        } finally {
            first.destroyForcibly();
        }
        // The lock died with the process: a new instance starts.
        Files.delete(dir.resolve("started"));
        Process third = start(config, dir.resolve("third.log"));
        try {
            waitFor(dir.resolve("started"));
        } finally {
            third.destroy();
            third.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process start(Path config, Path log) throws Exception {
        return new ProcessBuilder(List.of(DaemonProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"), MAIN,
                "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void waitFor(Path marker) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(marker); i++) {
            Thread.sleep(50);
        }
        assertThat(marker).as("daemon did not start within 30 s").exists();
    }

}
