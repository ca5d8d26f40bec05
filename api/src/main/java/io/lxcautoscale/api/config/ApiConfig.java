package io.lxcautoscale.api.config;

import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.pveapi.PveApiSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The typed contents of {@code lxc_autoscale_api.yaml}; every key, its default and range is read here.
 */
public record ApiConfig(Server server, Lxc lxc, Limits limits, RateLimiting rateLimiting, Authentication authentication,
                        Audit audit, LoggingConfig logging, boolean accessLog, boolean showStackTraces, Status status,
                        Proxmox proxmox) {

    /** Where the HTTP server listens and how much it accepts. */
    public record Server(String host, int port, int maxBodyBytes, int maxThreads) {
    }

    /**
     * How the API reaches Proxmox: tool paths, timeouts, the config directory, the cgroup root and the
     * per-container lock wait.
     */
    public record Lxc(String node, String defaultStorage, Duration timeout, Duration longTimeout, Path pctPath, Path pveshPath,
                      Path configDir, Path cgroupRoot, Duration lockWait) {
    }

    /**
     * How the API acts on containers: {@code pct} runs the local {@code pct}/{@code pvesh} (containers of this node,
     * {@code lxc.*}); {@code api} goes through the Proxmox REST API to any node of the cluster ({@code api}: where and
     * how, docs/cluster.md).
     */
    public record Proxmox(String backend, PveApiSettings api) {
        public static final String PCT = "pct";
        public static final String API = "api";

        public boolean throughApi() {
            return API.equals(backend);
        }
    }

    /** Request limits stricter than Proxmox's own, and the memory safety headroom. */
    public record Limits(int maxCores, int maxMemoryMb, int maxDiskIncreaseGb, int memoryHeadroomMinMb, int memoryHeadroomPercent) {
    }

    /** Per-client sliding-window limit. */
    public record RateLimiting(boolean enabled, int maxRequests, int windowSeconds, List<String> trustedProxies,
                               boolean exemptAuthenticated, int maxClients) {
    }

    /** API-key authentication. */
    public record Authentication(boolean enabled, List<String> apiKeys, Path apiKeyFile, List<String> openRoutes,
                                 boolean allowUnauthenticatedRemote) {
    }

    /** The JSON Lines audit log of mutating calls. */
    public record Audit(boolean enabled, Path logFile) {
    }

    /**
     * The status page ({@code /ui}, {@code /status/*}): the files it reads and how much it keeps.
     *
     * @param metricsFile     the monitor's metrics file
     * @param suggestionsFile the model's decision journal
     * @param modelConfigFile the model's YAML, read for tiers, opt-out tags, ignored VMIDs and the node reserve
     * @param window          how far back the charts reach, counted from the newest sample
     * @param bucket          chart resolution: samples are averaged (CPU) or maxed (memory) per bucket
     * @param refresh         a request reads what was appended when the last read is older than this
     * @param explainEntries  decisions kept per container for the container page (as {@code explain --last})
     * @param firstReadWait   how long a request waits for the first read of the history before answering with part of it
     */
    public record Status(Path metricsFile, Path suggestionsFile, Path modelConfigFile, Duration window, Duration bucket,
                         Duration refresh, int explainEntries, Duration firstReadWait) {
    }

    /** Most chart points kept per container (status.window_hours / status.bucket_seconds): bounds the page's memory. */
    public static final int MAX_STATUS_BUCKETS = 10_080;

    public static ApiConfig bind(ConfigNode root) {
        ConfigNode s = root.section("server");
        Server server = new Server(
                s.getString("host", "127.0.0.1"),
                s.getInt("port", 5000, 0, 65535),
                s.getInt("max_body_bytes", 65536, 1024, 16 << 20),
                s.getInt("max_threads", 128, 8, 1024));

        ConfigNode l = root.section("lxc");
        Lxc lxc = new Lxc(
                blankToNull(l.getString("node", null)),
                blankToNull(l.getString("default_storage", null)),
                Duration.ofSeconds(l.getInt("timeout_seconds", 30, 1, 3600)),
                Duration.ofSeconds(l.getInt("long_timeout_seconds", 900, 1, 86400)),
                l.getPath("pct_path", "/usr/sbin/pct"),
                l.getPath("pvesh_path", "/usr/bin/pvesh"),
                l.getPath("config_dir", "/etc/pve/lxc"),
                l.getPath("cgroup_root", "/sys/fs/cgroup"),
                Duration.ofMillis(l.getInt("lock_wait_ms", 30000, 0, 3_600_000)));

        ConfigNode m = root.section("limits");
        Limits limits = new Limits(
                m.getInt("max_cores", 128, 1, 8192),
                m.getInt("max_memory_mb", 1048576, 16, Integer.MAX_VALUE),
                m.getInt("max_disk_increase_gb", 10240, 1, 1 << 20),
                m.getInt("memory_headroom_min_mb", 64, 0, 1 << 20),
                m.getInt("memory_headroom_percent", 10, 0, 100));

        ConfigNode r = root.section("rate_limiting");
        RateLimiting rate = new RateLimiting(
                r.getBool("enabled", true),
                r.getInt("max_requests", 120, 1, 1_000_000),
                r.getInt("time_window_seconds", 60, 1, 86400),
                r.getStringList("trusted_proxies", List.of()),
                r.getBool("exempt_authenticated", true),
                r.getInt("max_clients", 10000, 10, 10_000_000));
        r.deprecated("max_requests_per_minute", "use rate_limiting.max_requests (the count allowed per time_window_seconds)");
        for (String proxy : rate.trustedProxies()) {
            if (!looksLikeAddress(proxy)) {
                r.problem("trusted_proxies", proxy, "IP addresses (e.g. 127.0.0.1, ::1)");
            }
        }

        ConfigNode a = root.section("authentication");
        Authentication auth = new Authentication(
                a.getBool("enabled", true),
                a.getSecretStringList("api_keys", List.of()),
                a.getPath("api_key_file", "/etc/lxc_autoscale_ml/api_key"),
                a.getStringList("open_routes", List.of("/", "/health/check", "/metrics", "/ui")),
                a.getBool("allow_unauthenticated_remote", false));
        for (String key : auth.apiKeys()) {
            if (key.strip().length() < 16) {
                a.problem("api_keys", "(a key of " + key.strip().length() + " characters)", "keys of at least 16 characters");
            }
        }

        ConfigNode au = root.section("audit");
        Audit audit = new Audit(au.getBool("enabled", true), au.getPath("log_file", "/var/log/lxc_autoscale_api_audit.json"));

        ConfigNode lg = root.section("logging");
        LoggingConfig logging = new LoggingConfig(
                lg.getChoice("level", "INFO", LoggingConfig.LEVELS),
                lg.getPath("log_file", null),
                lg.getInt("max_log_size_mb", 100, 1, 100_000),
                lg.getInt("backup_count", 5, 0, 1000));
        boolean accessLog = lg.getBool("access_log", true);
        lg.deprecated("rotate", "the log file is always rotated by size when logging.log_file is set");
        lg.deprecated("log_format", "the format is fixed (journald-friendly)");

        ConfigNode e = root.section("error_handling");
        boolean stackTraces = e.getBool("show_stack_traces", false);
        e.deprecated("log_errors", "unexpected errors are always logged");
        e.deprecated("notify_on_critical_errors", "there is no notification transport; alert on the /metrics error counters instead");
        e.deprecated("notification_recipients", "there is no notification transport; alert on the /metrics error counters instead");

        if (root.has("gunicorn")) {
            ConfigNode g = root.section("gunicorn");
            for (String key : List.of("workers", "threads", "timeout_seconds", "graceful_timeout_seconds", "log_level",
                    "preload_app", "access_log_file", "error_log_file", "max_requests", "max_requests_jitter")) {
                g.deprecated(key, "the API is one Java process; use server.max_threads, lxc.timeout_seconds and logging.*");
            }
        }
        ConfigNode st = root.section("status");
        Status status = new Status(
                st.getPath("metrics_file", "/var/log/lxc_metrics.json"),
                st.getPath("suggestions_file", "/var/log/lxc_autoscale_suggestions.json"),
                st.getPath("model_config_file", "/etc/lxc_autoscale_ml/lxc_autoscale_ml.yaml"),
                Duration.ofHours(st.getInt("window_hours", 24, 1, 168)),
                Duration.ofSeconds(st.getInt("bucket_seconds", 60, 10, 3600)),
                Duration.ofSeconds(st.getInt("refresh_seconds", 5, 0, 3600)),
                st.getInt("explain_entries", 10, 1, 1000),
                Duration.ofSeconds(st.getInt("first_read_wait_seconds", 10, 0, 600)));
        long buckets = status.window().toSeconds() / status.bucket().toSeconds();
        if (buckets > MAX_STATUS_BUCKETS) {
            st.problem("bucket_seconds", status.bucket().toSeconds(), "a value that gives at most " + MAX_STATUS_BUCKETS
                    + " chart points per container over window_hours " + status.window().toHours() + " (at least "
                    + (status.window().toSeconds() + MAX_STATUS_BUCKETS - 1) / MAX_STATUS_BUCKETS + " seconds)");
        }
        ConfigNode px = root.section("proxmox");
        Proxmox proxmox = new Proxmox(px.getChoice("backend", Proxmox.PCT, List.of(Proxmox.PCT, Proxmox.API)),
                PveApiSettings.bind(px));
        return new ApiConfig(server, lxc, limits, rate, auth, audit, logging, accessLog, stackTraces, status, proxmox);
    }

    /** True when {@code host} is a loopback name or address (so auth may be off without an explicit opt-in). */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static boolean looksLikeAddress(String s) {
        return s.matches("[0-9.]+") || s.matches("[0-9a-fA-F:]+");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
