package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.features.FeatureExtractor;
import io.lxcautoscale.model.forest.AnomalyModel;
import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.Signal;
import io.lxcautoscale.model.history.ViewBuilder;
import io.lxcautoscale.model.policy.Allocation;
import io.lxcautoscale.model.policy.Anomaly;
import io.lxcautoscale.model.policy.ContainerView;
import io.lxcautoscale.model.policy.Decision;
import io.lxcautoscale.model.policy.NodeCapacity;
import io.lxcautoscale.model.policy.PolicySettings;
import io.lxcautoscale.model.policy.PolicyState;
import io.lxcautoscale.model.policy.ScalingPolicy;
import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;
import io.lxcautoscale.model.replay.sim.Resources;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code default} policy in the replay: the model daemon's own pipeline for one container — its
 * {@link ContainerHistory}, {@link AnomalyModel} (retrained on the daemon's schedule, counted in steps),
 * {@link ViewBuilder} and the pure {@link ScalingPolicy} — fed each observation as the monitor would have
 * recorded it. Nothing here decides; it only translates.
 *
 * <p>Translation: {@code cpu.used_cores} = uₜ, {@code cpu_usage_percent} = uₜ / cores × 100,
 * {@code memory.used_mb} = vₜ, throttled fraction = the observation's, {@code oom_kill} = 1 on an OOM
 * step; PSI, swap, processes, network and disk are unknown (NaN), as on a host without them. One decision
 * per step (the daemon decides every cycle). The node is sized so that it never binds (one container
 * alone, host = provisioned size + the reserve), and the policy's max cores / memory are the trace's
 * provisioned size (as a per-container tier would set them); its own minima apply inside the bounds.
 */
public final class ModelPolicyAdapter implements ReplayPolicy {
    private static final int NO_MEMORY_MB = 1;

    private final Bounds bounds;
    private final ScalingPolicy policy;
    private final PolicySettings settings;
    private final boolean anomalySignal;
    private final FeatureExtractor features;
    private final AnomalyModel.Settings forest;
    private final int retrainEveryCycles;
    private final int retrainNewRows;
    private final ContainerHistory history;
    private final int stepSeconds;
    private final double[] values = new double[Signal.values().length];
    private AnomalyModel model;
    private int cyclesSinceTraining;
    private int rowsSinceTraining;
    private PolicyState state = PolicyState.INITIAL;
    private Decision lastDecision;

    /**
     * @param config        the model daemon's configuration (its policy, forest, features and history)
     * @param settings      the policy settings to use (the config's, possibly with a knob changed)
     * @param anomalySignal false for the ablation without the anomaly model
     * @param bounds        the trace's bounds
     * @param stepSeconds   Δ of the trace
     */
    public ModelPolicyAdapter(ModelConfig config, PolicySettings settings, boolean anomalySignal, Bounds bounds,
                              long stepSeconds) {
        this.bounds = bounds;
        int maxCores = bounds.maxCores();
        int minCores = Math.min(Math.max(settings.minCores(), bounds.minCores()), maxCores);
        int maxMemory = bounds.hasMemory() ? bounds.maxMemoryMb() : NO_MEMORY_MB;
        int minMemory = bounds.hasMemory() ? Math.min(Math.max(settings.minMemoryMb(), bounds.minMemoryMb()), maxMemory)
                : NO_MEMORY_MB;
        this.settings = settings.withLimits(minCores, maxCores, minMemory, maxMemory);
        this.policy = ScalingPolicy.of(this.settings);
        this.anomalySignal = anomalySignal;
        ModelConfig.SpikeConfig spike = config.spike();
        this.features = new FeatureExtractor(spike.rollingWindow(), spike.trendWindow(), spike.spikeThreshold());
        this.forest = config.model().settings();
        this.retrainEveryCycles = config.model().retrainEveryCycles();
        this.retrainNewRows = config.model().retrainNewRows();
        ModelConfig.HistoryConfig h = config.history();
        this.stepSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, stepSeconds));
        this.history = new ContainerHistory("replay", "replay", h.rawRowsPerContainer(), h.stepSeconds(),
                h.stepsPerContainer());
    }

    @Override
    public Resources observe(Observation o) {
        boolean hasMemory = bounds.hasMemory();
        int memoryMb = hasMemory ? o.memoryMb() : NO_MEMORY_MB;
        Arrays.fill(values, Double.NaN);
        values[Signal.CPU_CORES.ordinal()] = o.usedCores();
        values[Signal.CPU_PERCENT.ordinal()] = o.usedCores() / o.cores() * 100.0;
        values[Signal.MEMORY_MB.ordinal()] = hasMemory ? o.usedMemoryMb() : Double.NaN;
        values[Signal.THROTTLED_FRACTION.ordinal()] = o.throttledFraction();
        values[Signal.OOM_KILLS.ordinal()] = hasMemory ? (o.oomKilled() ? 1 : 0) : Double.NaN;
        if (history.append(o.timestampSeconds(), values)) {
            rowsSinceTraining++;
        }
        Anomaly anomaly = Anomaly.NONE;
        if (anomalySignal) {
            retrainIfDue();
            if (model != null) {
                anomaly = model.scoreLatest(history);
            }
        }
        ContainerView view = ViewBuilder.build(history, o.cores(), stepSeconds, anomaly);
        Allocation current = Allocation.running("replay", o.cores(), memoryMb);
        NodeCapacity node = new NodeCapacity(bounds.maxCores() + settings.reserveCores(),
                (long) (hasMemory ? bounds.maxMemoryMb() : NO_MEMORY_MB) + settings.reserveMemoryMb(),
                o.cores(), memoryMb);
        Instant now = Instant.ofEpochSecond(o.timestampSeconds());
        Decision d = policy.decide(view, current, node, state, now);
        state = state.applied(d, now);
        lastDecision = d;
        return new Resources(d.coresAfter(), hasMemory ? d.memoryMbAfter() : 0);
    }

    /** The daemon's schedule: when there is no model, every {@code retrain_every_cycles}, or after enough new rows. */
    private void retrainIfDue() {
        cyclesSinceTraining++;
        if (model != null && cyclesSinceTraining < retrainEveryCycles && rowsSinceTraining < retrainNewRows) {
            return;
        }
        AnomalyModel trained = AnomalyModel.train(List.of(history), features, forest);
        if (trained != null) {
            model = trained;
            cyclesSinceTraining = 0;
            rowsSinceTraining = 0;
        }
    }

    /** The latest decision, with its reasons (for debugging a replay). */
    public Decision lastDecision() {
        return lastDecision;
    }
}
