package io.lxcautoscale.sim;

import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.logging.LoggingSetup;
import io.lxcautoscale.sim.cli.StandIns;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.scenario.Scenario;
import io.lxcautoscale.sim.world.World;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a simulated Proxmox VE node: builds the host file tree and the {@code pct}/{@code pvesh} stand-ins under
 * {@code --root}, then advances the scenario's containers until SIGTERM or {@code --duration}.
 */
@Command(name = "lxc_sim", mixinStandardHelpOptions = true,
        versionProvider = io.lxcautoscale.common.cli.DaemonCommand.VersionProvider.class, description = "Simulated Proxmox VE node for LXC AutoScale ML (docs/simulator.md).")
public final class SimMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SimMain.class);

    @Option(names = "--root", required = true, description = "folder for the node's tree (created; must be empty or a previous simulated node)")
    Path root;

    @Option(names = "--scenario", required = true, description = "scenario YAML, e.g. sim/scenarios/default.yaml")
    Path scenarioFile;

    @Option(names = "--speed", description = "simulated seconds per wall second (overrides clock.speed)")
    Double speed;

    @Option(names = "--duration", description = "wall seconds to run, then exit 0 (default: until SIGTERM)")
    double durationSeconds;

    @Option(names = "--pct-latency-ms", description = "total time of one pct/pvesh call (overrides pct.latency_ms)")
    Integer latencyMs;

    @Option(names = "--traces", description = "trace folder (overrides traces_dir)")
    Path traces;

    @Option(names = "--log-level", defaultValue = "INFO", description = "TRACE, DEBUG, INFO, WARN or ERROR")
    String logLevel;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        LoggingSetup.configure("lxc_sim", LoggingConfig.consoleOnly(logLevel));
        Scenario scenario;
        try {
            ConfigLoader.Loaded<Scenario> loaded = Scenario.load(scenarioFile, traces);
            loaded.warnings().forEach(LOG::warn);
            scenario = loaded.config();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        if (speed != null) {
            if (speed < 0.01 || speed > 10_000) {
                System.err.println("--speed must be from 0.01 to 10000, got " + speed);
                return ExitCodes.CONFIG;
            }
            scenario = new Scenario(scenario.seed(), speed, scenario.tickMs(), scenario.pctLatencyMs(), scenario.host(),
                    scenario.tracesDir(), scenario.containers());
        }
        int latency = latencyMs != null ? latencyMs : scenario.pctLatencyMs();
        NodeFiles files = new NodeFiles(root);
        World world = new World(files, scenario, System::currentTimeMillis);
        try {
            world.initialize();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        StandIns.write(files, System.getProperty("java.class.path"), latency);
        Process training = null;
        try {
            training = StandIns.startArchiveTraining(files, System.getProperty("java.class.path"));
        } catch (java.io.IOException e) {
            LOG.warn("stand-ins will start without a class-data archive: {}", e.getMessage());
        }
        LOG.info("simulated node '{}' under {}: {} containers, {} CPUs, {} MiB, clock x{}; stand-ins {} and {}",
                scenario.host().node(), files.root(), scenario.containers().size(), scenario.host().cpus(),
                scenario.host().memoryMb(), scenario.speed(), files.bin().resolve("pct"), files.bin().resolve("pvesh"));
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested = true;
            main.interrupt();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sim-shutdown"));
        long endMs = durationSeconds > 0 ? System.currentTimeMillis() + (long) (durationSeconds * 1000) : Long.MAX_VALUE;
        try {
            while (!stopRequested && System.currentTimeMillis() < endMs) {
                long next = System.currentTimeMillis() + scenario.tickMs();
                if (training != null && !training.isAlive()) {
                    installArchive(files, training);
                    training = null;
                }
                try {
                    world.tick();
                } catch (RuntimeException e) {
                    // a bad tick (e.g. a file removed under us) must not end the node; the next tick starts over
                    LOG.warn("tick failed: {}", e.toString());
                }
                long sleep = Math.min(next, endMs) - System.currentTimeMillis();
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        if (stopRequested) {
                            break;
                        }
                    }
                }
            }
            LOG.info("simulated node stopped after {} simulated seconds", Math.round(world.simSeconds()));
            return ExitCodes.OK;
        } finally {
            if (training != null) {
                training.destroyForcibly().waitFor();
            }
            stopped.countDown();
        }
    }

    private static void installArchive(NodeFiles files, Process training) {
        try {
            if (StandIns.installArchive(files, training.exitValue())) {
                LOG.debug("stand-in class-data archive ready: {}", StandIns.archive(files));
            }
        } catch (java.io.IOException e) {
            LOG.warn("stand-ins will start without a class-data archive: {}", e.getMessage());
        }
    }
}
