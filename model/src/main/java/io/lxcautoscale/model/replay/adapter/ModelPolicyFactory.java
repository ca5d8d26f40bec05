package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.policy.PolicySettings;
import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.HostSession;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Factories for the model daemon's policy in the replay: {@code default} (the shipped configuration, or
 * the file given with {@code --model-config}), its ablations and its knob sweep.
 */
public final class ModelPolicyFactory implements PolicyFactory {
    private final String name;
    private final ModelConfig config;
    private final PolicySettings settings;
    private final boolean anomalySignal;

    private ModelPolicyFactory(String name, ModelConfig config, PolicySettings settings, boolean anomalySignal) {
        this.name = name;
        this.config = config;
        this.settings = settings;
        this.anomalySignal = anomalySignal;
    }

    /** The daemon's configuration: the shipped defaults, or {@code file} when given. */
    public static ModelConfig loadConfig(Path file) {
        return file == null ? ModelConfig.defaults() : ConfigLoader.load(file, ModelConfig::bind).config();
    }

    /** The policy as configured. */
    public static ModelPolicyFactory of(String name, ModelConfig config) {
        return new ModelPolicyFactory(name, config, config.policy(), true);
    }

    /** A variant: the anomaly signal on or off and the settings changed by {@code tweak}. */
    public ModelPolicyFactory variant(String variantName, boolean anomaly, UnaryOperator<PolicySettings> tweak) {
        return new ModelPolicyFactory(variantName, config, tweak.apply(settings), anomaly && anomalySignal);
    }

    /** The policy settings this factory replays. */
    public PolicySettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return name;
    }

    /** One container on a host of its own: with the anomaly model, a forest trained on its history alone. */
    @Override
    public ReplayPolicy create(Bounds bounds, long stepSeconds) {
        return anomalySignal ? new ModelHost(config, settings).alone(bounds, stepSeconds)
                : new ModelPolicyAdapter(config, settings, null, false, bounds, stepSeconds);
    }

    /**
     * The traces as the containers of one host: with the anomaly model, one pooled forest over all of them
     * ({@link ModelHost}), as the daemon runs; without it the containers share nothing.
     */
    @Override
    public HostSession openHost() {
        return anomalySignal ? new ModelHost(config, settings) : HostSession.independent(this);
    }
}
