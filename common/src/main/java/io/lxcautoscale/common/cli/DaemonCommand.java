package io.lxcautoscale.common.cli;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.logging.LoggingSetup;
import io.lxcautoscale.common.process.InstanceLock;
import io.lxcautoscale.common.reload.ConfigReloader;
import io.lxcautoscale.common.reload.Reloadable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The start-up every daemon shares: find and validate the config file, report it, set up logging, take the
 * single-instance lock, run, reload the config file on SIGHUP, and stop cleanly on SIGTERM.
 *
 * <p>Config file precedence: {@code --config PATH}, then the environment variable named by
 * {@link #configEnvVar()}, then {@link #defaultConfigPath()}.
 *
 * @param <C> the daemon's typed configuration record
 */
public abstract class DaemonCommand<C> implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "PATH", description = "Configuration file (default: ${DEFAULT-VALUE} or the environment variable).")
    protected Path configPath;

    @Option(names = "--check-config", description = "Validate the configuration, print the effective values and exit (0 valid, 2 invalid).")
    protected boolean checkConfig;

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    /** Short name used in logs, e.g. {@code lxc_monitor}. */
    protected abstract String daemonName();

    protected abstract Path defaultConfigPath();

    protected abstract String configEnvVar();

    /** Reads the typed configuration from the file's root section. */
    protected abstract C bind(ConfigNode root);

    protected abstract LoggingConfig logging(C config);

    /** The single-instance lock file, or null when this daemon needs none. */
    protected abstract Path lockFile(C config);

    /** Builds the daemon from its configuration; command-line overrides are applied here. */
    protected abstract Daemon create(C config) throws Exception;

    /**
     * What {@code --check-config} checks beyond the file itself, such as an external service the configuration names
     * (each problem names the file, the key and the reason); none by default.
     *
     * @throws ConfigException when a file the configuration names cannot be used
     */
    protected List<String> checkBeyondFile(C config, String configFile) {
        return List.of();
    }

    /**
     * What takes a reloaded configuration (SIGHUP, {@code systemctl reload}) for {@code daemon}, which was built from
     * {@code config}; null when this daemon cannot reload (SIGHUP then keeps the JVM's default: the process ends).
     */
    protected Reloadable<C> reloadable(Daemon daemon, C config) {
        return null;
    }

    /** The config file this run uses. */
    public Path resolveConfigPath() {
        if (configPath != null) {
            return configPath;
        }
        String fromEnv = System.getenv(configEnvVar());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return defaultConfigPath();
    }

    /** Loads and validates the config; used by {@link #call()} and by subcommands that need the config. */
    public ConfigLoader.Loaded<C> loadConfig() {
        return ConfigLoader.load(resolveConfigPath(), this::bind);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path file = resolveConfigPath();
        ConfigLoader.Loaded<C> loaded;
        try {
            loaded = ConfigLoader.load(file, this::bind);
        } catch (ConfigException e) {
            err.println(daemonName() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.CONFIG;
        }
        for (String warning : loaded.warnings()) {
            err.println(daemonName() + ": warning: " + warning);
        }
        err.flush();
        if (checkConfig) {
            List<String> problems;
            try {
                problems = checkBeyondFile(loaded.config(), file.toString());
            } catch (ConfigException e) {
                problems = e.problems();
            }
            if (!problems.isEmpty()) {
                err.println(daemonName() + ": configuration " + file + " cannot be used:\n  - " + String.join("\n  - ", problems));
                err.flush();
                return ExitCodes.CONFIG;
            }
            out.println("# " + daemonName() + ": configuration " + file + " is valid; effective values:");
            out.print(loaded.effectiveYaml());
            out.flush();
            return ExitCodes.OK;
        }

        LoggingSetup.configure(daemonName(), logging(loaded.config()));
        Logger log = LoggerFactory.getLogger(getClass());
        for (String warning : loaded.warnings()) {
            log.warn(warning);
        }
        log.info("{} {} starting with {}", daemonName(), version(), file);

        Path lockPath = lockFile(loaded.config());
        Optional<InstanceLock> lock = Optional.empty();
        if (lockPath != null) {
            lock = InstanceLock.tryAcquire(lockPath);
            if (lock.isEmpty()) {
                log.error("another {} is already running (lock {} is held); exiting", daemonName(), lockPath);
                return ExitCodes.ALREADY_RUNNING;
            }
        }
        try (InstanceLock ignored = lock.orElse(null)) {
            Daemon daemon;
            try {
                daemon = create(loaded.config());
            } catch (ConfigException e) {
                log.error("{}", e.getMessage());
                return ExitCodes.CONFIG;
            }
            Reloadable<C> reloadable = reloadable(daemon, loaded.config());
            AtomicReference<LoggingConfig> logging = new AtomicReference<>(logging(loaded.config()));
            ConfigReloader<C> reloader = reloadable == null ? null
                    : new ConfigReloader<>(daemonName(), () -> ConfigLoader.load(file, this::bind), loaded, reloadable, c -> {
                        if (!logging.getAndSet(logging(c)).equals(logging(c))) {
                            LoggingSetup.reconfigure(logging(c));
                        }
                    }).onHangup();
            int code;
            try (StopSignals ignoredSignals = StopSignals.install(daemonName(), daemon); ConfigReloader<C> ignoredReloader = reloader) {
                code = daemon.run();
            } catch (Exception e) {
                log.error("{} failed: {}", daemonName(), e.toString(), e);
                code = ExitCodes.FAILURE;
            }
            log.info("{} stopped (exit code {})", daemonName(), code);
            return code;
        }
    }

    /** The version from the jar manifest, or "dev" when run from classes. */
    public static String version() {
        String v = DaemonCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Version provider for picocli's {@code --version}. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"${COMMAND-FULL-NAME} " + version()};
        }
    }

    /** Runs a command line and returns its exit code; every daemon's {@code main} calls this. */
    public static int execute(Object command, String... args) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setExitCodeExceptionMapper(e -> e instanceof ConfigException || e instanceof CommandLine.ParameterException
                ? ExitCodes.CONFIG : ExitCodes.FAILURE);
        return commandLine.execute(args);
    }
}
