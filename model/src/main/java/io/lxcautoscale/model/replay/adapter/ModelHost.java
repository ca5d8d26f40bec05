package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.features.FeatureExtractor;
import io.lxcautoscale.model.forest.AnomalyModel;
import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.policy.Anomaly;
import io.lxcautoscale.model.policy.PolicySettings;
import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.HostSession;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * The model daemon's host as the replay sees it: every trace is one container, and like the daemon the host
 * has ONE {@link AnomalyModel} — a pooled forest trained over all its containers' histories, each container
 * standardised against its own rows — retrained on the daemon's schedule ({@code ModelDaemon.retrainIfDue}):
 * when there is no model yet, every {@code retrain_every_cycles} cycles, or after {@code retrain_new_rows}
 * new rows summed over the host. One cycle is one step; a cycle's retrain sees every container's row of that
 * step, as the daemon's sees the metrics it has just read. Containers whose trace has ended leave the host.
 */
public final class ModelHost implements HostSession {
    private final ModelConfig config;
    private final PolicySettings settings;
    private final FeatureExtractor features;
    private final AnomalyModel.Settings forest;
    private final int retrainEveryCycles;
    private final int retrainNewRows;
    /** In join order (= trace order), so a retrain samples the containers in a fixed order. */
    private final List<ModelPolicyAdapter> members = new ArrayList<>();
    private volatile AnomalyModel model;
    private int cyclesSinceTraining;
    private long rowsSinceTraining;
    private int trainings;

    ModelHost(ModelConfig config, PolicySettings settings) {
        this.config = config;
        this.settings = settings;
        ModelConfig.SpikeConfig spike = config.spike();
        this.features = new FeatureExtractor(spike.rollingWindow(), spike.trendWindow(), spike.spikeThreshold());
        this.forest = config.model().settings();
        this.retrainEveryCycles = config.model().retrainEveryCycles();
        this.retrainNewRows = config.model().retrainNewRows();
    }

    @Override
    public ModelPolicyAdapter join(Bounds bounds, long stepSeconds) {
        ModelPolicyAdapter member = new ModelPolicyAdapter(config, settings, this, false, bounds, stepSeconds);
        members.add(member);
        return member;
    }

    /** A host of one container, whose {@link ModelPolicyAdapter#observe} runs the cycle itself. */
    ModelPolicyAdapter alone(Bounds bounds, long stepSeconds) {
        ModelPolicyAdapter member = new ModelPolicyAdapter(config, settings, this, true, bounds, stepSeconds);
        members.add(member);
        return member;
    }

    @Override
    public void leave(ReplayPolicy policy) {
        members.remove(policy);
    }

    @Override
    public boolean hasCycle() {
        return true;
    }

    /** The daemon's schedule: when there is no model, every {@code retrain_every_cycles}, or after enough new rows. */
    @Override
    public void cycle(int t) {
        for (ModelPolicyAdapter m : members) {
            rowsSinceTraining += m.takeNewRows();
        }
        cyclesSinceTraining++;
        if (model != null && cyclesSinceTraining < retrainEveryCycles && rowsSinceTraining < retrainNewRows) {
            return;
        }
        List<ContainerHistory> histories = new ArrayList<>(members.size());
        for (ModelPolicyAdapter m : members) {
            histories.add(m.history());
        }
        AnomalyModel trained = AnomalyModel.train(histories, features, forest);
        if (trained != null) {
            model = trained;
            trainings++;
            cyclesSinceTraining = 0;
            rowsSinceTraining = 0;
        }
    }

    /**
     * The cycles before the next retrain can be due: none without a model; else fewer than
     * {@code retrain_every_cycles} since the last one, and too few for the live containers (at most one row
     * each per cycle) to add {@code retrain_new_rows}. Such cycles only count; the model stays.
     */
    @Override
    public int quietCycles() {
        if (model == null) {
            return 0;
        }
        long byCycles = (long) retrainEveryCycles - cyclesSinceTraining - 1;
        long byRows = members.isEmpty() ? Long.MAX_VALUE : (retrainNewRows - rowsSinceTraining - 1) / members.size();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.min(byCycles, byRows)));
    }

    /** The current model's verdict on the newest row of {@code h}; {@link Anomaly#NONE} before the first training. */
    Anomaly score(ContainerHistory h) {
        AnomalyModel m = model;
        return m == null ? Anomaly.NONE : m.scoreLatest(h);
    }

    /** Forest trainings so far. */
    public int trainings() {
        return trainings;
    }

    /** The current model (null before the first training). */
    public AnomalyModel model() {
        return model;
    }

    /** Containers on the host now. */
    public int containers() {
        return members.size();
    }
}
