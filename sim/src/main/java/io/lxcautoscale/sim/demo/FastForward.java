package io.lxcautoscale.sim.demo;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.ModelDaemon;
import io.lxcautoscale.model.ModelMain;
import io.lxcautoscale.monitor.MonitorConfig;
import io.lxcautoscale.monitor.MonitorMain;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.ExportSink;
import io.lxcautoscale.sim.world.World;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * The demo's fast-forward mode: the simulated node, the monitor's collector and the model's cycle take turns in
 * this JVM on one {@link SimulatedClock}, which moves one second per step. Every second the node advances;
 * every {@code monitoring.check_interval} seconds the collector writes a snapshot; every {@code interval_seconds}
 * the model runs one cycle, which calls the API (a real process, over HTTP) and through it the {@code pct}
 * stand-ins, and returns only when its changes are in the node's files. Nothing depends on how long a step
 * takes in wall time, so a run is the same however loaded the machine is.
 */
final class FastForward implements Closeable {
    /** One simulated second: what {@link #step()} advances the clock by. */
    static final Duration STEP = Duration.ofSeconds(1);

    private final SimulatedClock clock;
    private final World world;
    private final Collector collector;
    private final ExportSink sink;
    private final ModelDaemon model;
    private final int monitorEverySeconds;
    private final int modelEverySeconds;
    private int modelCycles;
    private int failedCycles;

    /** Builds the monitor's and the model's parts from the demo's generated configurations, on {@code clock}. */
    FastForward(SimulatedClock clock, World world, DemoFiles demo) throws IOException {
        this.clock = clock;
        this.world = world;
        MonitorConfig monitor = ConfigLoader.load(demo.monitorConfig(), MonitorConfig::bind).config();
        ModelConfig modelConfig = ConfigLoader.load(demo.modelConfig(), ModelConfig::bind).config();
        this.collector = new Collector(monitor.collector(), clock, clock::nanoTime);
        this.sink = MonitorMain.sink(monitor);
        this.model = ModelMain.daemon(modelConfig, clock, false);
        this.model.serveMetrics(); // as the daemon does: /metrics, and /history/{vmid} for another node's model
        this.monitorEverySeconds = monitor.checkIntervalSeconds();
        this.modelEverySeconds = modelConfig.intervalSeconds();
    }

    /** The monitor's first snapshot, at simulated second 0, as the daemon writes one as soon as it starts. */
    void begin() {
        sink.write(collector.collectLine());
    }

    /** Advances the node one simulated second, then runs whichever of the monitor and the model is due. */
    void step() throws IOException {
        clock.advance(STEP);
        tickNode();
        runDueDaemons();
    }

    /**
     * The node's part of a step on a clock someone else advances (the cluster demo moves one clock for every node):
     * the node advances to the clock's time.
     */
    void tickNode() {
        world.tick();
    }

    /** The daemons' part of a step: the monitor and the model, whichever is due at the clock's second. */
    void runDueDaemons() throws IOException {
        long second = clock.elapsedSeconds();
        if (second % monitorEverySeconds == 0) {
            sink.write(collector.collectLine());
        }
        if (second % modelEverySeconds == 0) {
            modelCycles++;
            ModelDaemon.CycleReport report = model.runCycle();
            if (report.error() != null || report.failed() > 0) {
                failedCycles++;
            }
        }
    }

    long simulatedSeconds() {
        return clock.elapsedSeconds();
    }

    int modelCycles() {
        return modelCycles;
    }

    /** Cycles that could not reach the API or had a change the API refused. */
    int failedCycles() {
        return failedCycles;
    }

    @Override
    public void close() throws IOException {
        try {
            model.close();
        } finally {
            sink.close();
        }
    }
}
