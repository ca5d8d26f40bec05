package io.lxcautoscale.model;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.memory.MemoryHeadroom;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.model.cluster.ClusterConfig;
import io.lxcautoscale.model.forest.AnomalyModel;
import io.lxcautoscale.model.notify.NotificationsConfig;
import io.lxcautoscale.model.policy.MemoryRisk;
import io.lxcautoscale.model.policy.PolicySettings;
import io.lxcautoscale.model.policy.Tier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model daemon's configuration ({@code /etc/lxc_autoscale_ml/lxc_autoscale_ml.yaml}); every key, its
 * unit and default is documented in {@code etc/lxc_autoscale_ml.yaml}.
 */
public record ModelConfig(
        LoggingConfig logging,
        Path lockFile,
        Path dataFile,
        Path suggestionsFile,
        int intervalSeconds,
        int maxMetricsAgeSeconds,
        List<String> ignoreLxc,
        List<String> optOutTags,
        ForestConfig model,
        SpikeConfig spike,
        boolean dryRun,
        PolicySettings policy,
        List<Tier> tiers,
        HistoryConfig history,
        ApiConfig api,
        int maxRetries,
        double retryDelaySeconds,
        BreakerConfig breaker,
        Listen metricsEndpoint,
        NotificationsConfig notifications,
        boolean recommender,
        ClusterConfig cluster) {

    /** {@code metrics_endpoint}: where the Prometheus endpoint listens; null in the config = off. */
    public record Listen(String host, int port) {
    }

    /** {@code model.*}: the isolation forest and its retraining schedule. */
    public record ForestConfig(double contamination, int nEstimators, int maxSamples, long randomState,
                               int retrainEveryCycles, int retrainNewRows, int trainingRowsPerContainer,
                               int minRowsPerContainer) {
        public AnomalyModel.Settings settings() {
            return new AnomalyModel.Settings(nEstimators, maxSamples, contamination, randomState,
                    trainingRowsPerContainer, minRowsPerContainer, 2_000);
        }
    }

    /** {@code spike_detection.*}: rolling features. */
    public record SpikeConfig(double spikeThreshold, int rollingWindow, int trendWindow) {
    }

    /** {@code history.*}: what is kept in memory per container. */
    public record HistoryConfig(int rawRowsPerContainer, int days, int stepSeconds, int forgetAfterSeconds) {
        public int stepsPerContainer() {
            return (int) ((long) days * 86_400 / stepSeconds);
        }
    }

    /**
     * {@code api.*}: where and how decisions are applied. {@code scaleTimeoutSeconds} bounds one scaling POST and
     * must cover the API's worst case: its {@code lxc.lock_wait_ms} + {@code lxc.timeout_seconds} + a grace.
     */
    public record ApiConfig(String apiUrl, String coresEndpoint, String ramEndpoint, String configsEndpoint,
                            String nodeEndpoint, double timeoutSeconds, double scaleTimeoutSeconds, String apiKey, Path apiKeyFile,
                            int maxConcurrent) {
    }

    /** {@code circuit_breaker.*}: per-container breaker. */
    public record BreakerConfig(boolean enabled, int failureThreshold, int timeoutSeconds) {
    }

    /** The effective staleness limit: {@code max_metrics_age_seconds}, or 3 × the interval when 0. */
    public int effectiveMaxMetricsAgeSeconds() {
        return maxMetricsAgeSeconds > 0 ? maxMetricsAgeSeconds : 3 * intervalSeconds;
    }

    /**
     * The configuration with every key at its default, which are the values of the shipped
     * {@code etc/lxc_autoscale_ml.yaml} ({@code ModelConfigTest} checks the file and the code agree).
     */
    public static ModelConfig defaults() {
        return ConfigLoader.parse("built-in defaults", "{}", ModelConfig::bind).config();
    }

    public static ModelConfig bind(ConfigNode root) {
        String logFile = root.getString("log_file", "/var/log/lxc_autoscale_ml.log");
        String level = root.getChoice("log_level", "INFO", LoggingConfig.LEVELS);
        LoggingConfig logging = new LoggingConfig(level, logFile == null || logFile.isBlank() ? null : Path.of(logFile), 10, 5);
        Path lockFile = root.getPath("lock_file", "/run/lxc_autoscale_ml.lock");
        Path dataFile = root.getPath("data_file", "/var/log/lxc_metrics.json");
        Path suggestions = root.getPath("suggestions_file", "/var/log/lxc_autoscale_suggestions.json");
        int interval = root.getInt("interval_seconds", 60, 5, 86_400);
        int maxAge = root.getInt("max_metrics_age_seconds", 0, 0, 7 * 86_400);
        List<String> ignore = root.getStringList("ignore_lxc", List.of());
        List<String> optOut = root.getStringList("opt_out_tags", List.of("autoscale-off"));
        root.deprecated("model_save_path", "the model is retrained in memory on a schedule (model.retrain_every_cycles) and not saved");
        root.deprecated("json_log_file", "use suggestions_file");
        root.deprecated("feature_engineering", "features are fixed; see docs/model.md");
        root.deprecated("prediction", "the anomaly threshold follows model.contamination");

        ConfigNode m = root.section("model");
        ForestConfig forest = new ForestConfig(
                m.getDouble("contamination", 0.05, 0.001, 0.5),
                m.getInt("n_estimators", 100, 1, 2000),
                m.getInt("max_samples", 64, 2, 100_000),
                m.getLong("random_state", 42, 0, Long.MAX_VALUE),
                m.getInt("retrain_every_cycles", 60, 1, 1_000_000),
                m.getInt("retrain_new_rows", 50_000, 1, Integer.MAX_VALUE),
                m.getInt("training_rows_per_container", 500, 10, 1_000_000),
                m.getInt("min_rows_per_container", 30, 2, 1_000_000));

        ConfigNode sd = root.section("spike_detection");
        SpikeConfig spike = new SpikeConfig(
                sd.getDouble("spike_threshold", 2, 0.1, 100),
                sd.getInt("rolling_window", 5, 1, 10_000),
                sd.getInt("trend_window", 30, 2, 100_000));

        ConfigNode h = root.section("history");
        HistoryConfig history = new HistoryConfig(
                h.getInt("raw_rows_per_container", 8640, 100, 10_000_000),
                h.getInt("days", 7, 1, 90),
                h.getInt("step_seconds", 300, 10, 86_400),
                h.getInt("forget_after_seconds", 3600, 60, 90 * 86_400));

        ConfigNode s = root.section("scaling");
        int minCores = s.getInt("min_cpu_cores", 1, 1, 8192);
        int maxCores = s.getInt("max_cpu_cores", 4, 1, 8192);
        int minRam = s.getInt("min_ram_mb", 512, 16, 64 * 1024 * 1024);
        int maxRam = s.getInt("max_ram_mb", 8192, 16, 64 * 1024 * 1024);
        int cpuStep = s.getInt("cpu_scale_step", 1, 1, 1024);
        int ramStep = s.getInt("ram_scale_step_mb", 64, 1, 1024 * 1024);
        double cpuUp = s.getDouble("cpu_scale_up_threshold", 75, 0, 100);
        double ramUp = s.getDouble("ram_scale_up_threshold", 75, 0, 100);
        double minConfidence = s.getDouble("min_confidence", 0, 0, 100);
        boolean dryRun = s.getBool("dry_run", false);
        boolean recommender = s.getBool("recommender", true);
        double percentile = s.getDouble("cpu_percentile", 95, 50, 100);
        int demandHours = s.getInt("demand_window_hours", 24, 1, 90 * 24);
        int peakMinutes = s.getInt("cpu_peak_minutes", 60, 0, 7 * 24 * 60);
        double margin = s.getDouble("cpu_margin_percent", 10, 0, 500);
        MemoryRisk risk = MemoryRisk.of(s.getChoice("memory_risk", "low",
                java.util.Arrays.stream(MemoryRisk.values()).map(MemoryRisk::key).toList()));
        int lookaheadMinutes = s.getInt("daily_lookahead_minutes", 60, 0, 720);
        int warmupHours = s.getInt("memory_warmup_hours", 24, 0, 7 * 24);
        double cpuWarmupHours = s.getDouble("cpu_warmup_hours", 1, 0, 7 * 24);
        double cpuPressure = s.getDouble("cpu_pressure_percent", 10, 0, 100);
        double cpuDownHoldHours = s.getDouble("cpu_down_hold_hours", 6, 0, 7 * 24);
        int upCooldown = s.getInt("up_cooldown_seconds", 300, 0, 7 * 86_400);
        int downCooldown = s.getInt("down_cooldown_seconds", 3600, 0, 30 * 86_400);
        double throttle = s.getDouble("throttled_percent", 10, 0, 100);
        double pressure = s.getDouble("memory_pressure_percent", 10, 0, 100);
        // never below the API's shipped headroom: the API would refuse a decrease to a lower floor (MemoryHeadroom)
        double headroom = s.getDouble("memory_headroom_percent", 20, MemoryHeadroom.API_DEFAULT.percent(), 500);
        int headroomMin = s.getInt("memory_headroom_min_mb", 64, (int) MemoryHeadroom.API_DEFAULT.minMb(), 1024 * 1024);
        s.deprecated("total_cores", "node capacity now comes from the API (node.reserve_cores keeps cores for the host)");
        s.deprecated("total_ram_mb", "node capacity now comes from the API (node.reserve_memory_mb keeps memory for the host)");
        s.deprecated("target_cpu_load_percent", "use cpu_scale_up_threshold and cpu_margin_percent");
        s.deprecated("cpu_scale_down_threshold", "CPU now scales down to the demand estimate once it fits in fewer cores (docs/model.md)");
        s.deprecated("ram_scale_down_threshold", "memory now scales down to the estimate once it is 10 % below the allocation (docs/model.md)");
        s.deprecated("margin_percent", "use cpu_margin_percent for CPU; the memory margin comes with memory_risk");
        s.deprecated("ram_chunk_size", "use ram_scale_step_mb");
        s.deprecated("ram_upper_limit", "use max_ram_mb");
        checkOrder(s, "min_cpu_cores", minCores, "max_cpu_cores", maxCores);
        checkOrder(s, "min_ram_mb", minRam, "max_ram_mb", maxRam);

        ConfigNode n = root.section("node");
        int reserveCores = n.getInt("reserve_cores", 1, 0, 8192);
        int reserveMemory = n.getInt("reserve_memory_mb", 2048, 0, 64 * 1024 * 1024);
        double overcommit = n.getDouble("cpu_overcommit", 4.0, 0.1, 100);

        int stepSeconds = history.stepSeconds();
        PolicySettings policy = null;
        boolean policyValid = minCores <= maxCores && minRam <= maxRam && risk != null;
        if (policyValid) {
            policy = new PolicySettings(
                    new PolicySettings.Cpu(minCores, maxCores, cpuStep, cpuUp, percentile / 100.0,
                            Math.max(1, demandHours * 3600 / stepSeconds), Math.max(1, peakMinutes * 60 / stepSeconds),
                            margin / 100.0, (int) Math.ceil(cpuWarmupHours * 3600 / stepSeconds - 1e-9),
                            throttle / 100.0, cpuPressure, (int) Math.ceil(cpuDownHoldHours * 3600 / stepSeconds - 1e-9)),
                    new PolicySettings.Memory(minRam, maxRam, ramStep, ramUp, risk, risk.windowSteps(stepSeconds),
                            (int) ((long) warmupHours * 3600 / stepSeconds), lookaheadMinutes * 60 / stepSeconds,
                            headroom / 100.0, headroomMin, pressure),
                    new PolicySettings.Cooldowns(upCooldown, downCooldown),
                    new PolicySettings.Node(reserveCores, reserveMemory, overcommit),
                    minConfidence);
        }

        List<Tier> tiers = new ArrayList<>();
        ConfigNode t = root.section("tiers");
        List<String> names = t.getStringList("names", List.of());
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.equals("names") || !seen.add(name)) {
                t.problem("names", name, "distinct tier names other than 'names'");
                continue;
            }
            ConfigNode tier = t.section(name);
            List<String> vmids = tier.getStringList("vmids", List.of());
            List<String> tags = tier.getStringList("tags", List.of());
            int tMinCores = tier.getInt("min_cpu_cores", minCores, 1, 8192);
            int tMaxCores = tier.getInt("max_cpu_cores", maxCores, 1, 8192);
            int tMinRam = tier.getInt("min_ram_mb", minRam, 16, 64 * 1024 * 1024);
            int tMaxRam = tier.getInt("max_ram_mb", maxRam, 16, 64 * 1024 * 1024);
            checkOrder(tier, "min_cpu_cores", tMinCores, "max_cpu_cores", tMaxCores);
            checkOrder(tier, "min_ram_mb", tMinRam, "max_ram_mb", tMaxRam);
            if (policy != null && tMinCores <= tMaxCores && tMinRam <= tMaxRam) {
                tiers.add(new Tier(name, new HashSet<>(vmids), new HashSet<>(tags), policy.withLimits(tMinCores, tMaxCores, tMinRam, tMaxRam)));
            }
        }

        ConfigNode a = root.section("api");
        String apiUrl = a.getString("api_url", "http://127.0.0.1:5000");
        if (apiUrl != null && !(apiUrl.startsWith("http://") || apiUrl.startsWith("https://"))) {
            a.problem("api_url", apiUrl, "an http:// or https:// URL");
        }
        a.deprecated("timeout", "use api.timeout_seconds");
        ApiConfig api = new ApiConfig(
                apiUrl == null ? "" : apiUrl.replaceAll("/+$", ""),
                endpoint(a, "cores_endpoint", "/scale/cores"),
                endpoint(a, "ram_endpoint", "/scale/ram"),
                endpoint(a, "configs_endpoint", "/resource/lxc/configs"),
                endpoint(a, "node_endpoint", "/resource/node/status"),
                a.getDouble("timeout_seconds", 5, 0.1, 600),
                a.getDouble("scale_timeout_seconds", 75, 1, 3600),
                a.getSecretString("api_key", null),
                a.getPath("api_key_file", "/etc/lxc_autoscale_ml/api_key"),
                a.getInt("max_concurrent", 10, 1, 256));

        ConfigNode r = root.section("retry_logic");
        int maxRetries = r.getInt("max_retries", 3, 1, 20);
        double retryDelay = r.getDouble("retry_delay", 2, 0, 300);

        ConfigNode b = root.section("circuit_breaker");
        BreakerConfig breaker = new BreakerConfig(
                b.getBool("enabled", true),
                b.getInt("failure_threshold", 3, 1, 1000),
                b.getInt("timeout_seconds", 1800, 1, 7 * 86_400));
        if (breaker.enabled() && breaker.timeoutSeconds() <= interval) {
            b.problem("timeout_seconds", breaker.timeoutSeconds(),
                    "more than interval_seconds (" + interval + "), or an open breaker closes before the next cycle (original F16)");
        }

        Listen metricsEndpoint = listen(root, "metrics_endpoint", "127.0.0.1:9105");
        NotificationsConfig notifications = NotificationsConfig.bind(root.section("notifications"));
        ClusterConfig cluster = ClusterConfig.bind(root.section("cluster"));

        return new ModelConfig(logging, lockFile, dataFile, suggestions, interval, maxAge, ignore, optOut, forest, spike,
                dryRun, policy, List.copyOf(tiers), history, api, maxRetries, retryDelay, breaker, metricsEndpoint, notifications,
                recommender, cluster);
    }

    /** {@code host:port} ({@code [v6]:port} for IPv6), or empty for off. */
    private static Listen listen(ConfigNode node, String key, String def) {
        String v = node.getString(key, def);
        if (v == null || v.isBlank()) {
            return null;
        }
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(v.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isEmpty() || port < 0 || port > 65_535) {
            node.problem(key, v, "host:port with a port from 0 (any free port) to 65535 (e.g. 127.0.0.1:9105), or empty for off");
            return null;
        }
        return new Listen(host, port);
    }

    private static String endpoint(ConfigNode a, String key, String def) {
        String v = a.getString(key, def);
        if (v == null || !v.startsWith("/")) {
            a.problem(key, v, "a path starting with /");
            return def;
        }
        return v;
    }

    private static void checkOrder(ConfigNode node, String minKey, int min, String maxKey, int max) {
        if (min > max) {
            node.problem(minKey, min, "at most " + maxKey + " (" + max + ")");
        }
    }

    /**
     * This configuration with the settings only a restart changes taken from {@code running}: the lock, metrics and
     * journal files, the history's sizes ({@code history.forget_after_seconds} stays this one's), the circuit
     * breaker, the metrics endpoint (a bound port), the notification channels (their sending thread) and the cluster
     * connection ({@code cluster.*}: the token and the TLS trust are read at start).
     */
    public ModelConfig keepingRestartOnly(ModelConfig running) {
        HistoryConfig h = running.history;
        return new ModelConfig(logging, running.lockFile, running.dataFile, running.suggestionsFile, intervalSeconds,
                maxMetricsAgeSeconds, ignoreLxc, optOutTags, model, spike, dryRun, policy, tiers,
                new HistoryConfig(h.rawRowsPerContainer(), h.days(), h.stepSeconds(), history.forgetAfterSeconds()), api,
                maxRetries, retryDelaySeconds, running.breaker, running.metricsEndpoint, running.notifications, recommender,
                running.cluster);
    }

    /** The same configuration with the learned memory recommender ({@code scaling.recommender}) on or off. */
    public ModelConfig withRecommender(boolean on) {
        return new ModelConfig(logging, lockFile, dataFile, suggestionsFile, intervalSeconds, maxMetricsAgeSeconds,
                ignoreLxc, optOutTags, model, spike, dryRun, policy, tiers, history, api, maxRetries, retryDelaySeconds,
                breaker, metricsEndpoint, notifications, on, cluster);
    }

    /** A copy with some fields replaced (command-line overrides). */
    public ModelConfig with(ForestConfig newModel, SpikeConfig newSpike, boolean newDryRun, PolicySettings newPolicy,
                            LoggingConfig newLogging) {
        return new ModelConfig(newLogging, lockFile, dataFile, suggestionsFile, intervalSeconds, maxMetricsAgeSeconds,
                ignoreLxc, optOutTags, newModel, newSpike, newDryRun, newPolicy, tiers, history, api, maxRetries,
                retryDelaySeconds, breaker, metricsEndpoint, notifications, recommender, cluster);
    }
}
