package io.lxcautoscale.monitor;

import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The typed contents of {@code lxc_monitor.yaml}.
 *
 * @param logging              where and how much to log
 * @param exportFile           the metrics file snapshots are appended to
 * @param checkIntervalSeconds time between cycle starts
 * @param retentionDays        rotated metrics files older than this are deleted
 * @param retentionMaxMb       the metrics file and its rotated files together stay below this
 * @param collector            what and where to read
 * @param lockFile             single-instance lock
 */
public record MonitorConfig(LoggingConfig logging, Path exportFile, int checkIntervalSeconds, int retentionDays,
                            int retentionMaxMb, CollectorSettings collector, Path lockFile) {
    /** Rotated metrics files kept besides the live one; the size budget is split over all of them. */
    public static final int ROTATED_FILES_KEPT = 7;

    /** Size at which the live metrics file rotates: the budget divided over live + rotated files. */
    public long maxFileBytes() {
        return (long) retentionMaxMb * 1024 * 1024 / (ROTATED_FILES_KEPT + 1);
    }

    public static MonitorConfig bind(ConfigNode root) {
        ConfigNode lg = root.section("logging");
        Path logFile = lg.getPath("log_file", "/var/log/lxc_monitor.log");
        long logMaxBytes = lg.getLong("log_max_bytes", 5_242_880, 1_048_576, 10L * 1024 * 1024 * 1024);
        int logBackups = lg.getInt("log_backup_count", 7, 0, 1000);
        String level = lg.getChoice("log_level", "INFO", LoggingConfig.LEVELS);
        // LoggingConfig rotates in whole MiB; round up so a byte figure is never cut below what was asked.
        int logMaxMb = (int) ((logMaxBytes + 1_048_575) / 1_048_576);
        LoggingConfig logging = new LoggingConfig(level, logFile, logMaxMb, logBackups);

        ConfigNode m = root.section("monitoring");
        Path exportFile = m.getPath("export_file", "/var/log/lxc_metrics.json");
        int interval = m.getInt("check_interval", 10, 1, 3600);
        boolean swap = m.getBool("enable_swap", true);
        boolean network = m.getBool("enable_network", true);
        boolean filesystem = m.getBool("enable_filesystem", true);
        List<String> excluded = m.getStringList("excluded_devices", List.of());
        for (String device : excluded) {
            if (device.isBlank() || device.contains("/") || device.contains(" ")) {
                m.problem("excluded_devices", device, "MAJ:MIN, MAJ: or a device-name prefix such as loop or dm-");
            }
        }
        int retentionDays = m.getInt("retention_days", 7, 1, 3650);
        int retentionMaxMb = m.getInt("retention_max_mb", 512, 8, 1_048_576);
        m.deprecated("parallel_processing", "one thread reads every container's files (1,000 containers: about 0.1 s of CPU per cycle)");
        m.deprecated("max_workers", "one thread reads every container's files (1,000 containers: about 0.1 s of CPU per cycle)");
        m.deprecated("retry_limit", "no command is run any more; a value that cannot be read is left out for that cycle");
        m.deprecated("retry_delay", "no command is run any more; a value that cannot be read is left out for that cycle");
        m.deprecated("command_timeout", "no command is run any more (the monitor reads cgroup and /proc files)");
        m.deprecated("max_metrics_entries", "use monitoring.retention_days and monitoring.retention_max_mb");

        ConfigNode p = root.section("paths");
        Path cgroupRoot = p.getPath("cgroup_root", "/sys/fs/cgroup");
        Path pveLxcDir = p.getPath("pve_lxc_dir", "/etc/pve/lxc");
        Path procRoot = p.getPath("proc_root", "/proc");
        Path sysClassNet = p.getPath("sys_class_net", "/sys/class/net");

        Path lockFile = root.getPath("lock_file", "/run/lxc_autoscale_ml/lxc_monitor.lock");
        return new MonitorConfig(logging, exportFile, interval, retentionDays, retentionMaxMb,
                new CollectorSettings(cgroupRoot, pveLxcDir, procRoot, sysClassNet, swap, network, filesystem, excluded),
                lockFile);
    }
}
