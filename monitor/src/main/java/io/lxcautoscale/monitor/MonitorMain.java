package io.lxcautoscale.monitor;

import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.DaemonCommand;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.reload.Reloadable;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.ExportSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code lxc_monitor}: samples every running container from the host's cgroups into the metrics file. */
@Command(name = "lxc_monitor", mixinStandardHelpOptions = true, versionProvider = DaemonCommand.VersionProvider.class,
        description = "Samples every running Proxmox LXC container from the host's cgroup, /proc and /sys files "
                + "every check_interval seconds and appends one snapshot line to the metrics file.")
public final class MonitorMain extends DaemonCommand<MonitorConfig> {
    @Option(names = "--once", description = "Take a baseline sample, wait one interval, write one snapshot and exit.")
    boolean once;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Seconds between cycles for this run (overrides monitoring.check_interval; 0.1 to 3600).")
    Double intervalSeconds;

    public static void main(String[] args) {
        System.exit(DaemonCommand.execute(new MonitorMain(), args));
    }

    @Override
    protected String daemonName() {
        return "lxc_monitor";
    }

    @Override
    protected Path defaultConfigPath() {
        return Path.of("/etc/lxc_autoscale_ml/lxc_monitor.yaml");
    }

    @Override
    protected String configEnvVar() {
        return "LXC_MONITOR_CONFIG";
    }

    @Override
    protected MonitorConfig bind(ConfigNode root) {
        return MonitorConfig.bind(root);
    }

    @Override
    protected LoggingConfig logging(MonitorConfig config) {
        return config.logging();
    }

    @Override
    protected Path lockFile(MonitorConfig config) {
        return config.lockFile();
    }

    @Override
    protected Daemon create(MonitorConfig config) {
        Duration interval = Duration.ofSeconds(config.checkIntervalSeconds());
        if (intervalSeconds != null) {
            if (!(intervalSeconds >= 0.1 && intervalSeconds <= 3600)) {
                throw new ConfigException("command line", List.of("--interval " + intervalSeconds + ": allowed is 0.1 to 3600 seconds"));
            }
            interval = Duration.ofNanos(Math.round(intervalSeconds * 1e9));
        }
        return new MonitorLoop(new Collector(config.collector(), Clock.systemUTC()), sink(config), interval, once);
    }

    @Override
    protected Reloadable<MonitorConfig> reloadable(Daemon daemon, MonitorConfig config) {
        return new MonitorReload((MonitorLoop) daemon, config, intervalSeconds != null);
    }

    /**
     * The metrics file writer of a configuration ({@code monitoring.export_file}, its size limit, rotation and
     * retention), as the command uses it; for a program that embeds the collector and drives its cycles itself
     * with {@link Collector#Collector(io.lxcautoscale.monitor.collect.CollectorSettings, Clock, java.util.function.LongSupplier)}.
     */
    public static ExportSink sink(MonitorConfig config) {
        return new ExportSink(config.exportFile(), config.maxFileBytes(), MonitorConfig.ROTATED_FILES_KEPT,
                Duration.ofDays(config.retentionDays()));
    }
}
