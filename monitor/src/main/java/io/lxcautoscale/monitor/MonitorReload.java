package io.lxcautoscale.monitor;

import io.lxcautoscale.common.reload.Reloadable;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reloaded {@code lxc_monitor.yaml} changes in the running monitor: a new collector when what or where it
 * reads changed, the interval (unless {@code --interval} fixed it). The metrics file, its rotation and retention
 * and the lock file need a restart: the writer holds the file and its rotation state.
 */
final class MonitorReload implements Reloadable<MonitorConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorReload.class);
    static final List<String> RESTART_ONLY = List.of("monitoring.export_file", "monitoring.retention_days",
            "monitoring.retention_max_mb", "lock_file");

    private final MonitorLoop loop;
    private final boolean intervalFromCommandLine;
    private CollectorSettings collector;
    private int checkIntervalSeconds;

    MonitorReload(MonitorLoop loop, MonitorConfig started, boolean intervalFromCommandLine) {
        this.loop = loop;
        this.intervalFromCommandLine = intervalFromCommandLine;
        this.collector = started.collector();
        this.checkIntervalSeconds = started.checkIntervalSeconds();
    }

    @Override
    public List<String> restartOnlyKeys() {
        return RESTART_ONLY;
    }

    @Override
    public synchronized void reload(MonitorConfig config) {
        Collector newCollector = config.collector().equals(collector) ? null : new Collector(config.collector(), Clock.systemUTC());
        Duration newInterval = null;
        if (config.checkIntervalSeconds() != checkIntervalSeconds) {
            if (intervalFromCommandLine) {
                LOG.warn("monitoring.check_interval changed to {} but --interval on the command line stays in effect",
                        config.checkIntervalSeconds());
            } else {
                newInterval = Duration.ofSeconds(config.checkIntervalSeconds());
            }
        }
        collector = config.collector();
        checkIntervalSeconds = config.checkIntervalSeconds();
        if (newCollector != null || newInterval != null) {
            loop.change(new MonitorLoop.Change(newCollector, newInterval));
        }
    }
}
