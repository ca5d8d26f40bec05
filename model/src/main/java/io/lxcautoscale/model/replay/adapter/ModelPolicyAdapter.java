package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.forest.AnomalyModel;
import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.Signal;
import io.lxcautoscale.model.history.ViewBuilder;
import io.lxcautoscale.model.policy.Action;
import io.lxcautoscale.model.policy.Allocation;
import io.lxcautoscale.model.policy.Anomaly;
import io.lxcautoscale.model.policy.CandidateBank;
import io.lxcautoscale.model.policy.ContainerView;
import io.lxcautoscale.model.policy.Decision;
import io.lxcautoscale.model.policy.NodeCapacity;
import io.lxcautoscale.model.policy.PolicySettings;
import io.lxcautoscale.model.policy.PolicyState;
import io.lxcautoscale.model.policy.Recommender;
import io.lxcautoscale.model.policy.ScalingPolicy;
import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.HostedPolicy;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.Resources;

import java.time.Instant;
import java.util.Arrays;

/**
 * The {@code default} policy in the replay: the model daemon's own pipeline for one container — its
 * {@link ContainerHistory}, the host's {@link AnomalyModel} ({@link ModelHost}: one pooled forest over every
 * container of the host, retrained on the daemon's schedule, counted in steps), {@link ViewBuilder} and the
 * pure {@link ScalingPolicy} — fed each observation as the monitor would have recorded it. Nothing here
 * decides; it only translates.
 *
 * <p>Translation: {@code cpu.used_cores} = uₜ, {@code cpu_usage_percent} = uₜ / cores × 100,
 * {@code memory.used_mb} = vₜ, throttled fraction = the observation's, {@code oom_kill} = 1 on an OOM
 * step; PSI, swap, processes, network and disk are unknown (NaN), as on a host without them. One decision
 * per step (the daemon decides every cycle). The node is sized so that it never binds (one container
 * alone, host = provisioned size + the reserve), and the policy's max cores / memory are the trace's
 * provisioned size (as a per-container tier would set them); its own minima apply inside the bounds.
 *
 * <p>A step is {@link #record} (the sample goes into the history, as the daemon reads the metrics file),
 * the host's cycle (retrain when due), then {@link #decide} (score the newest row, build the view, decide).
 * Created by {@link ModelPolicyFactory#create} the adapter is a host of one container and
 * {@link #observe} does all three.
 */
public final class ModelPolicyAdapter implements HostedPolicy {
    private static final int NO_MEMORY_MB = 1;

    private final Bounds bounds;
    private final ScalingPolicy policy;
    private final PolicySettings settings;
    /** The host's anomaly model; null for the ablation without it. */
    private final ModelHost host;
    /** True when {@link #host} is this container's alone, so {@link #observe} runs its cycle. */
    private final boolean ownHost;
    private final ContainerHistory history;
    private final int stepSeconds;
    private final double[] values = new double[Signal.values().length];
    private int newRows;
    private Observation recorded;
    private PolicyState state = PolicyState.INITIAL;
    private Decision lastDecision;
    /** The learned recommender's bank; null without {@code scaling.recommender} or without memory. */
    private final CandidateBank bank;

    /**
     * @param config        the model daemon's configuration (its policy, forest, features and history)
     * @param settings      the policy settings to use (the config's, possibly with a knob changed)
     * @param host          the host whose anomaly model scores this container; null without the anomaly model
     * @param ownHost       true when the host has this container only and {@link #observe} runs its cycle
     * @param bounds        the trace's bounds
     * @param stepSeconds   Δ of the trace
     */
    ModelPolicyAdapter(ModelConfig config, PolicySettings settings, ModelHost host, boolean ownHost, Bounds bounds,
                       long stepSeconds) {
        this.bounds = bounds;
        int maxCores = bounds.maxCores();
        int minCores = Math.min(Math.max(settings.cpu().minCores(), bounds.minCores()), maxCores);
        int maxMemory = bounds.hasMemory() ? bounds.maxMemoryMb() : NO_MEMORY_MB;
        int minMemory = bounds.hasMemory() ? Math.min(Math.max(settings.memory().minMb(), bounds.minMemoryMb()), maxMemory)
                : NO_MEMORY_MB;
        this.settings = settings.withLimits(minCores, maxCores, minMemory, maxMemory);
        this.policy = ScalingPolicy.of(this.settings);
        this.host = host;
        this.ownHost = ownHost;
        ModelConfig.HistoryConfig h = config.history();
        this.stepSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, stepSeconds));
        this.history = new ContainerHistory("replay", "replay", h.rawRowsPerContainer(), h.stepSeconds(),
                h.stepsPerContainer());
        this.bank = config.recommender() && bounds.hasMemory() ? Recommender.newBank(this.settings, h.stepSeconds()) : null;
    }

    @Override
    public Resources observe(Observation o) {
        record(o);
        if (ownHost) {
            host.cycle(o.step());
        }
        return decide();
    }

    /** The sample the monitor would have written for step t, appended to the history. */
    @Override
    public void record(Observation o) {
        boolean hasMemory = bounds.hasMemory();
        Arrays.fill(values, Double.NaN);
        values[Signal.CPU_CORES.ordinal()] = o.usedCores();
        values[Signal.CPU_PERCENT.ordinal()] = o.usedCores() / o.cores() * 100.0;
        values[Signal.MEMORY_MB.ordinal()] = hasMemory ? o.usedMemoryMb() : Double.NaN;
        values[Signal.THROTTLED_FRACTION.ordinal()] = o.throttledFraction();
        values[Signal.OOM_KILLS.ordinal()] = hasMemory ? (o.oomKilled() ? 1 : 0) : Double.NaN;
        if (history.append(o.timestampSeconds(), values)) {
            newRows++;
        }
        recorded = o;
    }

    /** The daemon's decision for the recorded step: anomaly score of the newest row, view, policy. */
    @Override
    public Resources decide() {
        Observation o = recorded;
        boolean hasMemory = bounds.hasMemory();
        int memoryMb = hasMemory ? o.memoryMb() : NO_MEMORY_MB;
        Anomaly anomaly = host == null ? Anomaly.NONE : host.score(history);
        ContainerView view = ViewBuilder.build(history, o.cores(), stepSeconds, anomaly);
        Allocation current = Allocation.running("replay", o.cores(), memoryMb);
        NodeCapacity node = new NodeCapacity(bounds.maxCores() + settings.node().reserveCores(),
                (long) (hasMemory ? bounds.maxMemoryMb() : NO_MEMORY_MB) + settings.node().reserveMemoryMb(),
                o.cores(), memoryMb);
        Instant now = Instant.ofEpochSecond(o.timestampSeconds());
        if (bank != null) {
            bank.observe(view);
        }
        Decision d = policy.decide(view, current, node, state, bank, now);
        state = state.applied(d, now);
        if (view.oomKills() > 0 && (d.memoryAction() == Action.UP || d.memoryMbAfter() >= bounds.maxMemoryMb())) {
            // the replay applies every answer at t + 1, as the daemon acknowledges an applied increase
            history.acknowledgeOomKills(view.oomKills());
        }
        lastDecision = d;
        return new Resources(d.coresAfter(), hasMemory ? d.memoryMbAfter() : 0);
    }

    /** This container's history (the host trains on it). */
    ContainerHistory history() {
        return history;
    }

    /** Rows appended since the last call (the host counts them towards {@code retrain_new_rows}). */
    int takeNewRows() {
        int n = newRows;
        newRows = 0;
        return n;
    }

    /** The latest decision, with its reasons (for debugging a replay). */
    public Decision lastDecision() {
        return lastDecision;
    }
}
