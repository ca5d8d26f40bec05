package io.lxcautoscale.common.cli;

import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** A minimal daemon used to test the shared start-up path as a real child process. */
@Command(name = "sample_daemon", mixinStandardHelpOptions = true, versionProvider = DaemonCommand.VersionProvider.class,
        description = "Test daemon: writes a 'started' marker, waits for SIGTERM, writes a 'stopped' marker.")
public final class SampleDaemonMain extends DaemonCommand<SampleDaemonMain.Config> {
    record Config(Path markerDir, Path lockFile, int exitCode, LoggingConfig logging) {
    }

    public static void main(String[] args) {
        System.exit(DaemonCommand.execute(new SampleDaemonMain(), args));
    }

    @Override
    protected String daemonName() {
        return "sample_daemon";
    }

    @Override
    protected Path defaultConfigPath() {
        return Path.of("/nonexistent/sample.yaml");
    }

    @Override
    protected String configEnvVar() {
        return "SAMPLE_DAEMON_CONFIG";
    }

    @Override
    protected Config bind(ConfigNode root) {
        ConfigNode logging = root.section("logging");
        return new Config(root.getPath("marker_dir", "/tmp"), root.getPath("lock_file", null),
                root.getInt("exit_code", 0, 0, 255),
                new LoggingConfig(logging.getChoice("level", "INFO", LoggingConfig.LEVELS), logging.getPath("file", null), 1, 2));
    }

    @Override
    protected LoggingConfig logging(Config config) {
        return config.logging();
    }

    @Override
    protected Path lockFile(Config config) {
        return config.lockFile();
    }

    @Override
    protected Daemon create(Config config) {
        CountDownLatch stop = new CountDownLatch(1);
        return new Daemon() {
            @Override
            public int run() throws Exception {
                Files.writeString(config.markerDir().resolve("started"), "yes");
                stop.await();
                Files.writeString(config.markerDir().resolve("stopped"), "yes");
                return config.exitCode();
            }

            @Override
            public void stop() {
                stop.countDown();
            }
        };
    }
}
