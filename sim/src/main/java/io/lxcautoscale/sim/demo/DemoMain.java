package io.lxcautoscale.sim.demo;

import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.scenario.Scenario;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-command demo ({@code ./demo.sh}): starts the simulated node and the three daemons against it with
 * generated configurations and an API key in a temporary folder, and shows a live table of the containers
 * until Ctrl-C (or {@code --duration}) stops everything.
 */
@Command(name = "demo.sh", mixinStandardHelpOptions = true, versionProvider = io.lxcautoscale.common.cli.DaemonCommand.VersionProvider.class,
        description = "Runs the simulated Proxmox node with lxc_monitor, lxc_autoscale_ml and lxc_autoscale_api and shows what they do.")
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--duration", description = "wall seconds to run, then stop everything and exit (default: until Ctrl-C)")
    double durationSeconds;

    @Option(names = "--scenario", defaultValue = "sim/scenarios/default.yaml", description = "scenario file (default: ${DEFAULT-VALUE})")
    Path scenarioFile;

    @Option(names = "--ignore", split = ",", defaultValue = "103", description = "VMIDs for the model's ignore_lxc (default: ${DEFAULT-VALUE})")
    List<Integer> ignored;

    @Option(names = "--keep", description = "keep the temporary folder (configs, logs, journals) afterwards")
    boolean keep;

    @Option(names = "--refresh-seconds", defaultValue = "2", description = "table refresh (default: ${DEFAULT-VALUE})")
    double refreshSeconds;

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
            children.add(ChildProcess.startJar("simulator", simJar, demo.log("lxc_sim"), "--root", nodeRoot.toString(),
                    "--scenario", scenarioFile.toAbsolutePath().toString()));
            NodeFiles files = new NodeFiles(nodeRoot);
            waitFor("the simulated node", () -> Files.isExecutable(files.bin().resolve("pvesh")) && Files.exists(files.stateFile()), 60);
            demo.write();
            children.add(ChildProcess.startJar("lxc_autoscale_api", apiJar, demo.log("lxc_autoscale_api"), "--config", demo.apiConfig().toString()));
            waitFor("the API on port " + demo.apiPort(), () -> listening(demo.apiPort()), 60);
            children.add(ChildProcess.startJar("lxc_monitor", monitorJar, demo.log("lxc_monitor"), "--config", demo.monitorConfig().toString()));
            children.add(ChildProcess.startJar("lxc_autoscale_ml", modelJar, demo.log("lxc_autoscale_ml"), "--config", demo.modelConfig().toString()));
            healthy = watch(out, files, demo);
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

    /** Refreshes the table until the duration ends or Ctrl-C; false when a child died on its own. */
    private boolean watch(PrintStream out, NodeFiles files, DemoFiles demo) throws InterruptedException {
        LiveTable table = new LiveTable(files, demo.node(), new DecisionLog(demo.suggestionsFile()));
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
