package io.lxcautoscale.sim.demo;

import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.sim.cli.StandIns;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.scenario.Scenario;
import io.lxcautoscale.sim.tree.AtomicFiles;
import io.lxcautoscale.sim.world.World;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-command demo ({@code ./demo.sh}): starts the simulated node and the three daemons against it with
 * generated configurations and an API key in a temporary folder, and shows a live table of the containers
 * until Ctrl-C (or {@code --duration}) stops everything. With {@code --fast-forward} the node, the monitor and
 * the model run in lock step on a simulated clock instead ({@link FastForward}), as fast as the machine allows.
 */
@Command(name = "demo.sh", mixinStandardHelpOptions = true, versionProvider = io.lxcautoscale.common.cli.DaemonCommand.VersionProvider.class,
        description = "Runs the simulated Proxmox node with lxc_monitor, lxc_autoscale_ml and lxc_autoscale_api and shows what they do.")
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--duration", description = "seconds to run, then stop everything and exit (default: until Ctrl-C; "
            + "with --fast-forward: simulated seconds, default " + FAST_FORWARD_DEFAULT_SECONDS + ")")
    double durationSeconds;

    @Option(names = "--fast-forward", description = "run on a simulated clock: the node, the monitor and the model take turns "
            + "one simulated second at a time, as fast as the machine allows, so a run's decisions are the same on any machine")
    boolean fastForward;

    @Option(names = "--scenario", defaultValue = "sim/scenarios/default.yaml", description = "scenario file (default: ${DEFAULT-VALUE})")
    Path scenarioFile;

    @Option(names = "--ignore", split = ",", defaultValue = "103", description = "VMIDs for the model's ignore_lxc (default: ${DEFAULT-VALUE})")
    List<Integer> ignored;

    @Option(names = "--keep", description = "keep the temporary folder (configs, logs, journals) afterwards")
    boolean keep;

    @Option(names = "--refresh-seconds", defaultValue = "2", description = "table refresh (default: ${DEFAULT-VALUE})")
    double refreshSeconds;

    private static final int FAST_FORWARD_DEFAULT_SECONDS = 120;
    /** Simulated seconds between two tables printed in fast-forward mode. */
    private static final int FAST_FORWARD_TABLE_EVERY = 30;

    private final List<ChildProcess> children = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (refreshSeconds < 0.2 || refreshSeconds > 3600) {
            System.err.println("--refresh-seconds must be from 0.2 to 3600, got " + refreshSeconds);
            return ExitCodes.CONFIG;
        }
        if (fastForward && durationSeconds == 0) {
            durationSeconds = FAST_FORWARD_DEFAULT_SECONDS;
        }
        if (fastForward && (durationSeconds < 1 || durationSeconds > 86_400)) {
            System.err.println("--duration with --fast-forward must be from 1 to 86400 simulated seconds, got " + durationSeconds);
            return ExitCodes.CONFIG;
        }
        if (durationSeconds < 0) {
            System.err.println("--duration must be 0 (until Ctrl-C) or more seconds, got " + durationSeconds);
            return ExitCodes.CONFIG;
        }
        Path repo = Path.of("").toAbsolutePath();
        Path simJar = repo.resolve("sim/target/lxc_sim.jar");
        Path monitorJar = repo.resolve("monitor/target/lxc_monitor.jar");
        Path modelJar = repo.resolve("model/target/lxc_autoscale_ml.jar");
        Path apiJar = repo.resolve("api/target/lxc_autoscale_api.jar");
        for (Path jar : List.of(simJar, monitorJar, modelJar, apiJar)) {
            if (!Files.isRegularFile(jar)) {
                System.err.println("missing " + jar + "; build first: mvn -B -q -DskipTests package");
                return ExitCodes.CONFIG;
            }
        }
        Scenario scenario;
        try {
            scenario = Scenario.load(scenarioFile, null).config();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        Path dir = Files.createTempDirectory("lxc-autoscale-demo-");
        Path nodeRoot = dir.resolve("node");
        DemoFiles demo = new DemoFiles(dir, nodeRoot, scenario.host().node(), freePort(), ignored);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested = true;
            main.interrupt();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown"));
        boolean healthy = true;
        try {
            out.println("demo folder: " + dir);
            NodeFiles files = new NodeFiles(nodeRoot);
            healthy = fastForward ? runFastForward(out, scenario, files, demo, apiJar)
                    : runRealTime(out, files, demo, simJar, monitorJar, modelJar, apiJar);
        } catch (InterruptedException e) {
            // Ctrl-C while starting: fall through to the clean stop
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            healthy = false;
        } finally {
            for (int i = children.size() - 1; i >= 0; i--) {
                ChildProcess c = children.get(i);
                int code = c.stop(15);
                // 143 = ended by our SIGTERM before its handler ran; 130 = Ctrl-C reached it directly
                if (code != 0 && code != 143 && code != 130) {
                    out.println(c.name() + " exited with code " + code + "; its output: " + c.output());
                    healthy = false;
                }
            }
            DecisionLog decisions = new DecisionLog(demo.suggestionsFile());
            decisions.poll();
            out.printf("demo stopped: %d scale-up(s) and %d scale-down(s) applied%n", decisions.appliedUps(), decisions.appliedDowns());
            if (keep || !healthy) {
                out.println("configs, logs and journals kept in " + dir);
            } else {
                AtomicFiles.deleteTree(dir);
            }
            finished.countDown();
        }
        return healthy ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The simulator and the three daemons as processes on the wall clock; false when one of them died. */
    private boolean runRealTime(PrintStream out, NodeFiles files, DemoFiles demo, Path simJar, Path monitorJar, Path modelJar,
                                Path apiJar) throws InterruptedException {
        children.add(ChildProcess.startJar("simulator", simJar, demo.log("lxc_sim"), "--root", demo.nodeRoot().toString(),
                "--scenario", scenarioFile.toAbsolutePath().toString()));
        waitFor("the simulated node", () -> Files.isExecutable(files.bin().resolve("pvesh")) && Files.exists(files.stateFile()), 60);
        demo.write(false);
        children.add(ChildProcess.startJar("lxc_autoscale_api", apiJar, demo.log("lxc_autoscale_api"), "--config", demo.apiConfig().toString()));
        waitFor("the API on port " + demo.apiPort(), () -> listening(demo.apiPort()), 60);
        children.add(ChildProcess.startJar("lxc_monitor", monitorJar, demo.log("lxc_monitor"), "--config", demo.monitorConfig().toString()));
        children.add(ChildProcess.startJar("lxc_autoscale_ml", modelJar, demo.log("lxc_autoscale_ml"), "--config", demo.modelConfig().toString()));
        return watch(out, files, demo);
    }

    /**
     * The node in this JVM on a {@link SimulatedClock}, the API as a process, the monitor and the model stepped by
     * {@link FastForward} for {@code --duration} simulated seconds; false when the API died or a model cycle failed.
     */
    private boolean runFastForward(PrintStream out, Scenario scenario, NodeFiles files, DemoFiles demo, Path apiJar)
            throws InterruptedException, IOException {
        long wallStart = System.nanoTime();
        // one clock for everyone: the node must count simulated seconds at the pace the daemons read them
        Scenario oneToOne = new Scenario(scenario.seed(), 1.0, scenario.tickMs(), scenario.pctLatencyMs(), scenario.host(), scenario.tracesDir(),
                scenario.containers());
        SimulatedClock clock = new SimulatedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        demo.write(true);
        DaemonLogs.toFile(demo.log("lxc_monitor_and_model"));
        // the API calls the stand-ins only when asked, so its JVM can start while the node is built
        children.add(ChildProcess.startJar("lxc_autoscale_api", apiJar, demo.log("lxc_autoscale_api"), "--config", demo.apiConfig().toString()));
        World world = new World(files, oneToOne, clock::millis);
        world.initialize();
        // the stand-ins answer without the scenario's artificial latency: it would only cost wall time
        StandIns.write(files, System.getProperty("java.class.path"), 0);
        Process training = StandIns.startArchiveTraining(files, System.getProperty("java.class.path"));
        try {
            // no outcome depends on how long this takes: generous for a heavily loaded machine
            waitFor("the API on port " + demo.apiPort(), () -> listening(demo.apiPort()), 180);
            // the archive makes every later stand-in call start faster; the run's outcome does not depend on it
            if (training.waitFor(60, TimeUnit.SECONDS)) {
                StandIns.installArchive(files, training.exitValue());
            }
        } finally {
            if (training.isAlive()) {
                training.destroyForcibly().waitFor();
            }
        }
        LiveTable table = new LiveTable(files, demo.node(), new DecisionLog(demo.suggestionsFile()), clock::nanoTime);
        int width = terminalWidth();
        long end = (long) Math.ceil(durationSeconds);
        try (FastForward run = new FastForward(clock, world, demo)) {
            run.begin();
            while (!stopRequested && run.simulatedSeconds() < end) {
                ChildProcess api = children.get(0);
                if (!api.alive()) {
                    out.println(api.name() + " stopped unexpectedly (exit " + api.exitCode() + "); last output:\n" + tail(api.output(), 15));
                    return false;
                }
                run.step();
                if (run.simulatedSeconds() % FAST_FORWARD_TABLE_EVERY == 0 && run.simulatedSeconds() < end) {
                    out.print(table.render(String.format("LXC AutoScale ML demo, fast-forward | node %s | %d s simulated | API 127.0.0.1:%d",
                            demo.node(), run.simulatedSeconds(), demo.apiPort()), width) + "\n");
                }
            }
            out.print(table.render("final state:", width));
            out.printf("fast-forward: %d simulated seconds, %d model cycle(s) (%d failed), in %.1f wall seconds%n",
                    run.simulatedSeconds(), run.modelCycles(), run.failedCycles(), (System.nanoTime() - wallStart) / 1e9);
            // a cycle cut short by Ctrl-C is not a failure
            return run.failedCycles() == 0 || stopRequested;
        }
    }

    /** Refreshes the table until the duration ends or Ctrl-C; false when a child died on its own. */
    private boolean watch(PrintStream out, NodeFiles files, DemoFiles demo) throws InterruptedException {
        LiveTable table = new LiveTable(files, demo.node(), new DecisionLog(demo.suggestionsFile()), System::nanoTime);
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        long end = durationSeconds > 0 ? start + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
        long lastPlainPrint = 0;
        int width = terminalWidth();
        while (!stopRequested && System.nanoTime() < end) {
            for (ChildProcess c : children) {
                if (!c.alive()) {
                    out.println(c.name() + " stopped unexpectedly (exit " + c.exitCode() + "); last output:\n" + tail(c.output(), 15));
                    return false;
                }
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            String header = String.format("LXC AutoScale ML demo | node %s | %s elapsed | API 127.0.0.1:%d | Ctrl-C stops",
                    demo.node(), Duration.ofSeconds(elapsed).toString().substring(2).toLowerCase(), demo.apiPort());
            String text = table.render(header, width);
            if (terminal) {
                out.print("\033[H\033[2J" + text);
                out.flush();
            } else if (elapsed - lastPlainPrint >= 15 || lastPlainPrint == 0) {
                out.print(text + "\n");
                lastPlainPrint = Math.max(1, elapsed);
            }
            try {
                Thread.sleep((long) (refreshSeconds * 1000));
            } catch (InterruptedException e) {
                if (stopRequested) {
                    break;
                }
            }
        }
        out.print(table.render("final state:", width));
        return true;
    }

    private static int terminalWidth() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "160"));
        } catch (NumberFormatException e) {
            return 160;
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private void waitFor(String what, java.util.function.BooleanSupplier ready, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ready.getAsBoolean()) {
            for (ChildProcess c : children) {
                if (!c.alive()) {
                    throw new IllegalStateException(c.name() + " exited with code " + c.exitCode() + " while waiting for " + what
                            + "; last output:\n" + tail(c.output(), 15));
                }
            }
            if (stopRequested) {
                throw new InterruptedException();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
