package io.lxcautoscale.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.DaemonCommand;
import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.pveapi.PveApiException;
import io.lxcautoscale.common.reload.Reloadable;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.cluster.Migrations;
import io.lxcautoscale.model.cluster.HistoryHandOff;
import io.lxcautoscale.model.cluster.PeerApiHistory;
import io.lxcautoscale.model.cluster.PveClusterSource;
import io.lxcautoscale.model.journal.SuggestionJournal;
import io.lxcautoscale.model.policy.PolicySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Entry point of {@code lxc_autoscale_ml}, the model daemon: decides and applies container scaling. */
@Command(name = "lxc_autoscale_ml", mixinStandardHelpOptions = true, versionProvider = DaemonCommand.VersionProvider.class,
        description = "Reads the monitor's metrics, scores them with an isolation forest, decides per container with a "
                + "safe scaling policy, applies changes through the REST API and journals every decision.",
        subcommands = {ModelMain.Explain.class, io.lxcautoscale.model.replay.ReplayCommand.class})
public final class ModelMain extends DaemonCommand<ModelConfig> {
    @Option(names = "--once", description = "Run one cycle, then exit (0 when the cycle completed).")
    boolean once;

    @Option(names = "--dry-run", description = "Decide and journal, change nothing (same as scaling.dry_run: true).")
    boolean dryRun;

    @Option(names = "--contamination", paramLabel = "FRACTION", description = "Override model.contamination (0.001-0.5).")
    Double contamination;

    @Option(names = "--n_estimators", paramLabel = "N", description = "Override model.n_estimators (trees, 1-2000).")
    Integer nEstimators;

    @Option(names = "--max_samples", paramLabel = "N", description = "Override model.max_samples (rows per tree, 2-100000).")
    Integer maxSamples;

    @Option(names = "--random_state", paramLabel = "SEED", description = "Override model.random_state (>= 0).")
    Long randomState;

    @Option(names = "--spike-threshold", paramLabel = "SIGMAS", description = "Override spike_detection.spike_threshold.")
    Double spikeThreshold;

    @Option(names = "--ram-chunk-size", paramLabel = "MB", description = "Override scaling.ram_scale_step_mb (the original's name).")
    Integer ramChunkSize;

    @Option(names = "--ram-upper-limit", paramLabel = "MB", description = "Override scaling.max_ram_mb (the original's name).")
    Integer ramUpperLimit;

    @Option(names = "--verbosity", paramLabel = "0|1|2", description = "Log level: 0 = WARN, 1 = INFO, 2 = DEBUG (overrides log_level).")
    Integer verbosity;

    @Option(names = "--smoothing-factor", paramLabel = "X", hidden = true, description = "Rejected: see the error message.")
    Double smoothingFactor;

    @Option(names = "--force-save", hidden = true, description = "Rejected: see the error message.")
    boolean forceSave;

    public static void main(String[] args) {
        System.exit(DaemonCommand.execute(new ModelMain(), args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (smoothingFactor != null) {
            err.println("lxc_autoscale_ml: --smoothing-factor is not supported: demand is estimated as a percentile over "
                    + "scaling.demand_window_hours plus scaling.margin_percent, not by exponential smoothing; "
                    + "set those keys instead");
            err.flush();
            return ExitCodes.CONFIG;
        }
        if (forceSave) {
            err.println("lxc_autoscale_ml: --force-save is not supported: the model lives in memory and is retrained on a "
                    + "schedule (model.retrain_every_cycles); there is no model file to save");
            err.flush();
            return ExitCodes.CONFIG;
        }
        return super.call();
    }

    @Override
    protected String daemonName() {
        return "lxc_autoscale_ml";
    }

    @Override
    protected Path defaultConfigPath() {
        return Path.of("/etc/lxc_autoscale_ml/lxc_autoscale_ml.yaml");
    }

    @Override
    protected String configEnvVar() {
        return "LXC_AUTOSCALE_ML_CONFIG";
    }

    @Override
    protected ModelConfig bind(ConfigNode root) {
        ModelConfig c = ModelConfig.bind(root);
        return c.policy() == null ? c : applyOverrides(c);
    }

    /** Applies the command-line overrides; bad values fail like bad config values (exit 2). */
    ModelConfig applyOverrides(ModelConfig c) {
        List<String> problems = new ArrayList<>();
        ModelConfig.ForestConfig m = c.model();
        double newContamination = check(problems, "--contamination", contamination, m.contamination(), 0.001, 0.5);
        int trees = (int) check(problems, "--n_estimators", nEstimators == null ? null : nEstimators.doubleValue(), m.nEstimators(), 1, 2000);
        int samples = (int) check(problems, "--max_samples", maxSamples == null ? null : maxSamples.doubleValue(), m.maxSamples(), 2, 100_000);
        long seed = randomState == null ? m.randomState() : randomState;
        if (seed < 0) {
            problems.add("--random_state: " + seed + " is not allowed; use an integer >= 0");
        }
        double spike = check(problems, "--spike-threshold", spikeThreshold, c.spike().spikeThreshold(), 0.1, 100);
        PolicySettings p = c.policy();
        int ramStep = (int) check(problems, "--ram-chunk-size", ramChunkSize == null ? null : ramChunkSize.doubleValue(), p.memory().stepMb(), 1, 1024 * 1024);
        int maxRam = (int) check(problems, "--ram-upper-limit", ramUpperLimit == null ? null : ramUpperLimit.doubleValue(), p.memory().maxMb(), p.memory().minMb(), 64 * 1024 * 1024);
        LoggingConfig logging = c.logging();
        if (verbosity != null) {
            if (verbosity < 0 || verbosity > 2) {
                problems.add("--verbosity: " + verbosity + " is not allowed; use 0 (WARN), 1 (INFO) or 2 (DEBUG)");
            } else {
                logging = new LoggingConfig(new String[] {"WARN", "INFO", "DEBUG"}[verbosity], logging.file(), logging.maxSizeMb(), logging.backupCount());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("command line", problems);
        }
        PolicySettings policy = p.withMemoryStep(ramStep, maxRam);
        return c.with(new ModelConfig.ForestConfig(newContamination, trees, samples, seed, m.retrainEveryCycles(), m.retrainNewRows(),
                        m.trainingRowsPerContainer(), m.minRowsPerContainer()),
                new ModelConfig.SpikeConfig(spike, c.spike().rollingWindow(), c.spike().trendWindow()),
                c.dryRun() || dryRun, policy, logging);
    }

    private static double check(List<String> problems, String flag, Double value, double current, double min, double max) {
        if (value == null) {
            return current;
        }
        if (value.isNaN() || value < min || value > max) {
            problems.add(flag + ": " + value + " is not allowed; use a value from " + min + " to " + max);
            return current;
        }
        return value;
    }

    @Override
    protected LoggingConfig logging(ModelConfig config) {
        return config.logging();
    }

    @Override
    protected Path lockFile(ModelConfig config) {
        return config.lockFile();
    }

    @Override
    protected Reloadable<ModelConfig> reloadable(Daemon daemon, ModelConfig config) {
        return new ModelReload((ModelDaemon) daemon, config, resolveConfigPath().toString());
    }

    @Override
    protected Daemon create(ModelConfig config) throws IOException {
        return daemon(config, Clock.systemUTC(), once, resolveConfigPath().toString());
    }

    /**
     * The model daemon for a configuration, as {@code lxc_autoscale_ml} builds it, reading the time from
     * {@code clock}: the journal's timestamps, the cooldowns, the metrics staleness limit and the circuit breaker
     * all follow it. The command uses the system clock; a program that embeds the daemon and drives its cycles
     * itself ({@link ModelDaemon#runCycle()}) passes its own clock.
     */
    public static ModelDaemon daemon(ModelConfig config, Clock clock, boolean once) throws IOException {
        return daemon(config, clock, once, "lxc_autoscale_ml.yaml");
    }

    /**
     * The same, naming {@code configFile} in errors about the files {@code cluster.*} names (read now: the token, the CA).
     */
    static ModelDaemon daemon(ModelConfig config, Clock clock, boolean once, String configFile) throws IOException {
        PveClusterSource cluster = config.cluster().enabled() ? PveClusterSource.of(config.cluster(), configFile) : null;
        if (cluster != null) {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelMain.class);
            log.info("cluster mode: reading /cluster/resources from {}", cluster);
            try {
                List<String> missing = cluster.missingPrivileges();
                if (!missing.isEmpty()) {
                    log.warn("the Proxmox API token lacks {} (docs/cluster.md lists the role): without VM.Audit containers are "
                            + "not listed and skipped, without Sys.Audit no node is recommended, without VM.Migrate "
                            + "(cluster.migrate) migrations fail to start", String.join(", ", missing));
                }
            } catch (PveApiException e) {
                log.warn("cannot check the Proxmox API token's privileges now: {}", e.getMessage());
            }
        }
        SuggestionJournal journal = new SuggestionJournal(config.suggestionsFile(), 20L * 1024 * 1024, 5);
        Migrations migrations = null;
        if (cluster != null && config.cluster().migration().enabled()) {
            migrations = new Migrations(cluster.migrationApi(), config.cluster().migration(), ZoneId.systemDefault());
            org.slf4j.LoggerFactory.getLogger(ModelMain.class).info("cluster.migrate: up to {} restart-mode migration(s) of "
                    + "recommended containers in each maintenance window {} (local time, {})",
                    config.cluster().migration().maxPerWindow(), config.cluster().migration().window(), ZoneId.systemDefault());
        }
        ModelDaemon daemon = new ModelDaemon(config, apiClient(config), journal, clock, once, cluster, migrations);
        if (cluster != null && config.cluster().history().follow()) {
            String key = ApiClient.resolveApiKey(config.api().apiKey(), config.api().apiKeyFile());
            daemon.followHistory(new HistoryHandOff(cluster.localNode(), new PeerApiHistory(config.cluster().history(), key,
                    Duration.ofMillis((long) (config.api().timeoutSeconds() * 1000)))));
        }
        return daemon;
    }

    /** The API client of a configuration ({@code api.*}, {@code retry_logic.*}), with the key read from {@code api.api_key_file} now. */
    static ApiClient apiClient(ModelConfig config) throws IOException {
        ApiClient.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        String key = ApiClient.resolveApiKey(config.api().apiKey(), config.api().apiKeyFile());
        if (key == null) {
            org.slf4j.LoggerFactory.getLogger(ModelMain.class).warn(
                    "no API key (api.api_key unset and {} missing or empty): requests are sent without X-API-Key",
                    config.api().apiKeyFile());
        }
        ApiClient api = new ApiClient(config.api().apiUrl(), config.api().coresEndpoint(), config.api().ramEndpoint(),
                config.api().configsEndpoint(), config.api().nodeEndpoint(),
                Duration.ofMillis((long) (config.api().timeoutSeconds() * 1000)),
                Duration.ofMillis((long) (config.api().scaleTimeoutSeconds() * 1000)), key, config.maxRetries(),
                Duration.ofMillis((long) (config.retryDelaySeconds() * 1000)), sleeper);
        return api;
    }

    /** {@code explain <vmid>}: the last decisions for a container, with their reasons, from the journal. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Print the last decisions journaled for a container, with their reasons and outcomes.")
    static final class Explain implements Callable<Integer> {
        @ParentCommand
        ModelMain parent;

        @Parameters(paramLabel = "VMID", description = "The container's VMID.")
        String vmid;

        @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "How many decisions (default ${DEFAULT-VALUE}).")
        int last;

        @Override
        public Integer call() {
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            if (!vmid.matches("[1-9][0-9]{2,8}") || last < 1) {
                err.println("lxc_autoscale_ml explain: VMID must be a number from 100 to 999999999 and --last >= 1");
                err.flush();
                return ExitCodes.CONFIG;
            }
            ModelConfig config;
            try {
                config = parent.loadConfig().config();
            } catch (ConfigException e) {
                err.println("lxc_autoscale_ml: " + e.getMessage());
                err.flush();
                return ExitCodes.CONFIG;
            }
            List<JsonNode> entries;
            try {
                entries = SuggestionJournal.lastEntries(config.suggestionsFile(), vmid, last);
            } catch (IOException e) {
                err.println("lxc_autoscale_ml explain: cannot read " + config.suggestionsFile() + ": " + e.getMessage());
                err.flush();
                return ExitCodes.FAILURE;
            }
            if (entries.isEmpty()) {
                out.println("no decisions for container " + vmid + " in " + config.suggestionsFile());
            }
            for (JsonNode e : entries) {
                out.println(io.lxcautoscale.common.journal.DecisionText.describe(e));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
