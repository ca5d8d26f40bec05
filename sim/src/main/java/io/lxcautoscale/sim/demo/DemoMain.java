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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--cluster", description = "run a simulated Proxmox cluster: --nodes nodes, each with its own containers, "
            + "pct and three daemons, and one simulated Proxmox API serving the cluster view to every node's model")
    boolean cluster;

    @Option(names = "--nodes", defaultValue = "3", description = "with --cluster: how many nodes, from 2 to the number of node "
            + "scenarios in --cluster-scenarios (default: ${DEFAULT-VALUE})")
    int nodeCount;

    @Option(names = "--cluster-scenarios", defaultValue = "sim/scenarios/cluster", description = "with --cluster: a folder of one "
            + "scenario file per node, taken in name order (default: ${DEFAULT-VALUE})")
    Path clusterScenarios;

    @Option(names = "--offline", paramLabel = "NODE:SECONDS", description = "with --cluster: take NODE offline after SECONDS "
            + "(simulated seconds with --fast-forward): the Proxmox API shows it offline and its daemons stop, as on a node that is off")
    String offline;

    @Option(names = "--migrate", paramLabel = "VMID:NODE:SECONDS", description = "with --cluster --fast-forward: migrate container "
            + "VMID to NODE in restart mode at simulated second SECONDS (shut down and locked, then started on NODE "
            + DemoMigration.COPY_SECONDS + " s later); the new node's model takes over its history from the old one")
    String migrate;

    private static final int FAST_FORWARD_DEFAULT_SECONDS = 120;
    /** Simulated seconds between two tables printed in fast-forward mode. */
    private static final int FAST_FORWARD_TABLE_EVERY = 30;

    /** The heap limits of the daemons' systemd units (systemd/*.service), used for the cluster's many JVMs. */
    private static final List<String> API_HEAP = List.of("-Xmx256m");
    private static final List<String> MONITOR_HEAP = List.of("-Xms16m", "-Xmx128m");
    private static final List<String> MODEL_HEAP = List.of("-Xmx512m");
    private static final List<String> SIMULATOR_HEAP = List.of("-Xmx256m");

    private final List<ChildProcess> children = new ArrayList<>();
    /** The cluster demo's processes of each node, to stop those of a node taken offline. */
    private final Map<String, List<ChildProcess>> nodeChildren = new HashMap<>();
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
        if (cluster) {
            return callCluster(out, simJar, monitorJar, modelJar, apiJar);
        }
        if (offline != null || migrate != null) {
            System.err.println((offline != null ? "--offline" : "--migrate") + " needs --cluster");
            return ExitCodes.CONFIG;
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
        stopOnCtrlC();
        out.println("demo folder: " + dir);
        NodeFiles files = new NodeFiles(nodeRoot);
        return runThenFinish(out, dir, () -> fastForward ? runFastForward(out, scenario, files, demo, apiJar)
                : runRealTime(out, files, demo, simJar, monitorJar, modelJar, apiJar), () -> Map.of(demo.node(), demo.suggestionsFile()));
    }

    /** A run of the demo: false when a process died or a model cycle failed. */
    @FunctionalInterface
    private interface RunBody {
        boolean run() throws InterruptedException, IOException;
    }

    /**
     * Runs {@code run}, then, however it ended, stops every process and {@link #finish}es with the models' journals by
     * node; returns the exit code.
     */
    private int runThenFinish(PrintStream out, Path dir, RunBody run, java.util.function.Supplier<Map<String, Path>> journals)
            throws InterruptedException {
        boolean healthy = true;
        try {
            healthy = run.run();
        } catch (InterruptedException e) {
            // Ctrl-C while starting: fall through to the clean stop
        } catch (IllegalStateException | IOException e) {
            System.err.println(e.getMessage());
            healthy = false;
        } finally {
            healthy &= stopChildren(out, children);
            finish(out, dir, healthy, journals.get());
        }
        return healthy ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /**
     * The end of a run: prints what the models applied (and, with several nodes, per node with the placement
     * recommendations) from their {@code journals} by node, keeps or deletes the folder, and lets Ctrl-C's hook return.
     */
    private void finish(PrintStream out, Path dir, boolean healthy, Map<String, Path> journals) {
        int ups = 0;
        int downs = 0;
        for (Map.Entry<String, Path> journal : journals.entrySet()) {
            DecisionLog decisions = new DecisionLog(journal.getValue());
            decisions.poll();
            ups += decisions.appliedUps();
            downs += decisions.appliedDowns();
            if (journals.size() > 1) {
                out.printf("node %s: %d scale-up(s), %d scale-down(s), %d placement recommendation(s)%n", journal.getKey(),
                        decisions.appliedUps(), decisions.appliedDowns(), decisions.recommendations());
            }
        }
        out.printf("demo stopped: %d scale-up(s) and %d scale-down(s) applied%n", ups, downs);
        if (keep || !healthy) {
            out.println("configs, logs and journals kept in " + dir);
        } else {
            AtomicFiles.deleteTree(dir);
        }
        finished.countDown();
    }

    /** On Ctrl-C (or SIGTERM): stop the run and wait until everything is stopped and reported. */
    private void stopOnCtrlC() {
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
    }

    /** Stops {@code processes}, last started first; false when one had failed (its output file is named). */
    private static boolean stopChildren(PrintStream out, List<ChildProcess> processes) throws InterruptedException {
        boolean clean = true;
        for (int i = processes.size() - 1; i >= 0; i--) {
            ChildProcess c = processes.get(i);
            int code = c.stop(15);
            // 143 = ended by our SIGTERM before its handler ran; 130 = Ctrl-C reached it directly
            if (code != 0 && code != 143 && code != 130) {
                out.println(c.name() + " exited with code " + code + "; its output: " + c.output());
                clean = false;
            }
        }
        return clean;
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
        return watch(out, table, String.format("node %s | API 127.0.0.1:%d", demo.node(), demo.apiPort()), elapsed -> { });
    }

    /**
     * Refreshes {@code table} (headed by {@code what}) until the duration ends or Ctrl-C, calling {@code beforeRefresh}
     * with the whole seconds elapsed before each; false when a child died on its own.
     */
    private boolean watch(PrintStream out, LiveTable table, String what, java.util.function.LongConsumer beforeRefresh)
            throws InterruptedException {
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
            beforeRefresh.accept(elapsed);
            String header = String.format("LXC AutoScale ML demo | %s | %s elapsed | Ctrl-C stops", what,
                    Duration.ofSeconds(elapsed).toString().substring(2).toLowerCase());
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

    /** One node of the cluster demo: its scenario, its simulated files and its daemons' files. */
    private record ClusterNode(ClusterScenarios.NodeScenario scenario, NodeFiles files, DemoFiles demo) {
        String name() {
            return scenario.node();
        }

        LiveTable.Node shown() {
            return new LiveTable.Node(name(), files, new DecisionLog(demo.suggestionsFile()));
        }
    }

    /** A node to take offline and when (simulated seconds with --fast-forward, else wall seconds). */
    private record Offline(String node, long afterSeconds) {
    }

    /**
     * {@code --cluster}: the nodes of {@code --cluster-scenarios}, each with its own folder, simulated files and three
     * daemons, and one simulated Proxmox API for the cluster view that every model reads.
     */
    private int callCluster(PrintStream out, Path simJar, Path monitorJar, Path modelJar, Path apiJar) throws Exception {
        List<ClusterScenarios.NodeScenario> scenarios;
        Offline off;
        DemoMigration move;
        try {
            scenarios = ClusterScenarios.load(clusterScenarios, nodeCount);
            off = parseOffline(scenarios);
            move = migrate == null ? null : DemoMigration.parse(migrate, scenarios);
            if (move != null && !fastForward) {
                throw new ConfigException("--migrate", List.of("needs --fast-forward (the nodes' simulators run in this process then)"));
            }
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        Path dir = Files.createTempDirectory("lxc-autoscale-demo-");
        SimulatedClock simulated = new SimulatedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        java.time.Clock clock = fastForward ? simulated : java.time.Clock.systemUTC();
        java.util.function.LongSupplier nanoTime = fastForward ? simulated::nanoTime : System::nanoTime;
        stopOnCtrlC();
        out.println("demo folder: " + dir);
        List<ClusterNode> nodes = new ArrayList<>();
        DemoProxmoxApi[] proxmox = new DemoProxmoxApi[1];
        try {
            return runThenFinish(out, dir, () -> {
                List<ClusterMirror.MirroredNode> mirrored = new ArrayList<>();
                for (ClusterScenarios.NodeScenario n : scenarios) {
                    NodeFiles files = new NodeFiles(dir.resolve(n.node()).resolve("node"));
                    mirrored.add(new ClusterMirror.MirroredNode(n.node(), n.scenario().host().cpus(), n.scenario().host().memoryMb(), files));
                }
                proxmox[0] = DemoProxmoxApi.start(dir.resolve("pve-api"), mirrored, clock, nanoTime);
                List<Integer> apiPorts = new ArrayList<>();
                List<String> peers = new ArrayList<>();
                for (ClusterScenarios.NodeScenario n : scenarios) {
                    apiPorts.add(freePort());
                    peers.add(n.node() + "=http://127.0.0.1:" + apiPorts.get(apiPorts.size() - 1));
                }
                for (int i = 0; i < scenarios.size(); i++) {
                    ClusterScenarios.NodeScenario n = scenarios.get(i);
                    Path nodeDir = Files.createDirectories(dir.resolve(n.node()));
                    nodes.add(new ClusterNode(n, mirrored.get(i).files(), new DemoFiles(nodeDir, mirrored.get(i).files().root(), n.node(),
                            apiPorts.get(i), ignored, proxmox[0].modelSection(n.node()) + "  peer_api_urls: " + peers + "\n"
                            // each model its own Prometheus port (the default 9105 would go to the first one only), where its
                            // API asks it for a container's history; 10 s steps, so a minutes-long demo has steps to hand over
                            + "metrics_endpoint: 127.0.0.1:" + freePort() + "\nhistory:\n  step_seconds: 10\n")));
                    nodeChildren.put(n.node(), new ArrayList<>());
                }
                out.printf("cluster: %s; simulated Proxmox API on https://localhost:%d (token %s)%n",
                        String.join(", ", nodes.stream().map(ClusterNode::name).toList()), proxmox[0].port(), DemoProxmoxApi.TOKEN_ID);
                return fastForward ? runClusterFastForward(out, nodes, proxmox[0], simulated, apiJar, off, move)
                        : runClusterRealTime(out, nodes, proxmox[0], simJar, monitorJar, modelJar, apiJar, off);
            }, () -> {
                Map<String, Path> journals = new LinkedHashMap<>();
                nodes.forEach(node -> journals.put(node.name(), node.demo().suggestionsFile()));
                return journals;
            });
        } finally {
            if (proxmox[0] != null) {
                proxmox[0].close();
            }
        }
    }

    private Offline parseOffline(List<ClusterScenarios.NodeScenario> scenarios) {
        if (offline == null) {
            return null;
        }
        String[] parts = offline.split(":", 2);
        List<String> names = scenarios.stream().map(ClusterScenarios.NodeScenario::node).toList();
        long seconds = -1;
        try {
            seconds = parts.length == 2 ? Long.parseLong(parts[1].strip()) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (!names.contains(parts[0]) || seconds < 1) {
            throw new ConfigException("--offline", List.of("'" + offline + "': NODE:SECONDS with NODE one of " + names
                    + " and SECONDS a whole number of 1 or more"));
        }
        return new Offline(parts[0], seconds);
    }

    /**
     * The cluster on one {@link SimulatedClock}: every node's simulated files, monitor and model in this JVM, stepped
     * one simulated second at a time, each node's API as a process; the cluster view is brought up to the nodes'
     * files after they move and before the models run. False when an online node's API died or a model cycle failed.
     */
    private boolean runClusterFastForward(PrintStream out, List<ClusterNode> nodes, DemoProxmoxApi proxmox, SimulatedClock clock,
                                          Path apiJar, Offline off, DemoMigration move) throws InterruptedException, IOException {
        long wallStart = System.nanoTime();
        Path demoDir = nodes.get(0).demo().dir().getParent();
        DaemonLogs.toFile(demoDir.resolve("lxc_monitors_and_models.out"));
        for (ClusterNode node : nodes) {
            node.demo().write(true);
            node.demo().useKeyOf(nodes.get(0).demo()); // one key on every node: each model asks the others' APIs
            startChild(node.name(), ChildProcess.startJar("lxc_autoscale_api@" + node.name(), apiJar, node.demo().log("lxc_autoscale_api"),
                    API_HEAP, "--config", node.demo().apiConfig().toString()));
        }
        Map<String, World> worlds = new LinkedHashMap<>();
        List<Process> trainings = new ArrayList<>();
        try {
            for (ClusterNode node : nodes) {
                Scenario s = node.scenario().scenario();
                World world = new World(node.files(), new Scenario(s.seed(), 1.0, s.tickMs(), s.pctLatencyMs(), s.host(), s.tracesDir(),
                        s.containers()), clock::millis);
                world.initialize();
                worlds.put(node.name(), world);
                StandIns.write(node.files(), System.getProperty("java.class.path"), 0);
                trainings.add(StandIns.startArchiveTraining(node.files(), System.getProperty("java.class.path")));
            }
            for (ClusterNode node : nodes) {
                waitFor("the API of " + node.name() + " on port " + node.demo().apiPort(), () -> listening(node.demo().apiPort()), 180);
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (trainings.get(i).waitFor(60, TimeUnit.SECONDS)) {
                    StandIns.installArchive(nodes.get(i).files(), trainings.get(i).exitValue());
                }
            }
        } finally {
            for (Process training : trainings) {
                if (training.isAlive()) {
                    training.destroyForcibly().waitFor();
                }
            }
        }
        proxmox.sync();
        Map<String, FastForward> online = new LinkedHashMap<>();
        List<FastForward> all = new ArrayList<>();
        LiveTable table = new LiveTable(nodes.stream().map(ClusterNode::shown).toList(), clock::nanoTime);
        int width = terminalWidth();
        long end = (long) Math.ceil(durationSeconds);
        try {
            for (ClusterNode node : nodes) {
                FastForward run = new FastForward(clock, worlds.get(node.name()), node.demo());
                all.add(run);
                online.put(node.name(), run);
                run.begin();
            }
            while (!stopRequested && clock.elapsedSeconds() < end) {
                for (String node : online.keySet()) {
                    for (ChildProcess c : nodeChildren.get(node)) {
                        if (!c.alive()) {
                            out.println(c.name() + " stopped unexpectedly (exit " + c.exitCode() + "); last output:\n" + tail(c.output(), 15));
                            return false;
                        }
                    }
                }
                clock.advance(FastForward.STEP);
                for (FastForward run : online.values()) {
                    run.tickNode();
                }
                long second = clock.elapsedSeconds();
                if (move != null) {
                    move.step(second, clock.instant(), worlds, out);
                }
                proxmox.sync();
                if (off != null && second == off.afterSeconds()) {
                    proxmox.takeOffline(off.node());
                    online.remove(off.node());
                    out.printf("node %s taken offline at simulated second %d (%s): its node, monitor and model stop%n", off.node(), second,
                            clock.instant());
                }
                for (FastForward run : online.values()) {
                    run.runDueDaemons();
                }
                if (second % FAST_FORWARD_TABLE_EVERY == 0 && second < end) {
                    out.print(table.render(String.format("LXC AutoScale ML demo, fast-forward, cluster | %d s simulated | Proxmox API "
                            + "https://localhost:%d", second, proxmox.port()), width) + "\n");
                }
            }
            out.print(table.render("final state:", width));
            int cycles = all.stream().mapToInt(FastForward::modelCycles).sum();
            int failed = all.stream().mapToInt(FastForward::failedCycles).sum();
            out.printf("fast-forward: %d simulated seconds, %d model cycle(s) (%d failed), in %.1f wall seconds%n",
                    clock.elapsedSeconds(), cycles, failed, (System.nanoTime() - wallStart) / 1e9);
            out.printf("simulated Proxmox API: %d request(s)%n", proxmox.totalRequests());
            return failed == 0 || stopRequested;
        } finally {
            for (FastForward run : all) {
                run.close();
            }
        }
    }

    /**
     * The cluster on the wall clock: per node the simulator and the three daemons as processes (with the heap
     * limits of their systemd units); the cluster view is brought up to the nodes' files before each table refresh.
     */
    private boolean runClusterRealTime(PrintStream out, List<ClusterNode> nodes, DemoProxmoxApi proxmox, Path simJar, Path monitorJar,
                                       Path modelJar, Path apiJar, Offline off) throws InterruptedException {
        for (ClusterNode node : nodes) {
            startChild(node.name(), ChildProcess.startJar("simulator@" + node.name(), simJar, node.demo().log("lxc_sim"), SIMULATOR_HEAP,
                    "--root", node.demo().nodeRoot().toString(), "--scenario", node.scenario().file().toAbsolutePath().toString()));
        }
        for (ClusterNode node : nodes) {
            waitFor("the simulated node " + node.name(), () -> Files.isExecutable(node.files().bin().resolve("pvesh"))
                    && Files.exists(node.files().stateFile()), 120);
            node.demo().write(false);
            node.demo().useKeyOf(nodes.get(0).demo());
            startChild(node.name(), ChildProcess.startJar("lxc_autoscale_api@" + node.name(), apiJar, node.demo().log("lxc_autoscale_api"),
                    API_HEAP, "--config", node.demo().apiConfig().toString()));
        }
        for (ClusterNode node : nodes) {
            waitFor("the API of " + node.name() + " on port " + node.demo().apiPort(), () -> listening(node.demo().apiPort()), 180);
        }
        proxmox.sync();
        for (ClusterNode node : nodes) {
            startChild(node.name(), ChildProcess.startJar("lxc_monitor@" + node.name(), monitorJar, node.demo().log("lxc_monitor"),
                    MONITOR_HEAP, "--config", node.demo().monitorConfig().toString()));
            startChild(node.name(), ChildProcess.startJar("lxc_autoscale_ml@" + node.name(), modelJar, node.demo().log("lxc_autoscale_ml"),
                    MODEL_HEAP, "--config", node.demo().modelConfig().toString()));
        }
        LiveTable table = new LiveTable(nodes.stream().map(ClusterNode::shown).toList(), System::nanoTime);
        boolean[] offlineDone = {off == null};
        return watch(out, table, String.format("cluster %s | Proxmox API https://localhost:%d",
                String.join(", ", nodes.stream().map(ClusterNode::name).toList()), proxmox.port()), elapsed -> {
                    proxmox.sync();
                    if (!offlineDone[0] && elapsed >= off.afterSeconds()) {
                        offlineDone[0] = true;
                        proxmox.takeOffline(off.node());
                        List<ChildProcess> stopped = nodeChildren.get(off.node());
                        children.removeAll(stopped);
                        out.printf("node %s taken offline after %d s (%s): its simulator and daemons stop%n", off.node(), elapsed, Instant.now());
                        try {
                            stopChildren(out, stopped);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
    }

    private void startChild(String node, ChildProcess child) {
        children.add(child);
        nodeChildren.get(node).add(child);
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
