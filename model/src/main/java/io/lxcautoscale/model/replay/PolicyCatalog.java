package io.lxcautoscale.model.replay;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.policy.MemoryRisk;
import io.lxcautoscale.model.replay.adapter.ModelPolicyFactory;
import io.lxcautoscale.model.replay.baseline.AutopilotPolicy;
import io.lxcautoscale.model.replay.baseline.OriginalPolicy;
import io.lxcautoscale.model.replay.baseline.StaticPolicy;
import io.lxcautoscale.model.replay.baseline.VpaPolicy;
import io.lxcautoscale.model.replay.sim.PolicyFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The policies the replay knows by name: the baselines, {@code default} (the model daemon's policy with
 * its shipped or given configuration), its ablations, and the knob sweep of {@code default}.
 */
public final class PolicyCatalog {
    /** The memory-risk knob values of {@code --sweep} ({@code scaling.memory_risk}), from most to least memory. */
    public static final List<MemoryRisk> SWEEP_RISKS = List.of(MemoryRisk.values());

    private final Map<String, Supplier<PolicyFactory>> policies = new LinkedHashMap<>();
    private final ModelPolicyFactory model;
    private final int stepSeconds;

    /** A catalogue whose {@code default} runs with {@code modelConfig} (the daemon's configuration). */
    public PolicyCatalog(ModelConfig modelConfig) {
        this.model = ModelPolicyFactory.of("default", modelConfig);
        this.stepSeconds = modelConfig.history().stepSeconds();
        policies.put("static", () -> StaticPolicy.FACTORY);
        policies.put("original", () -> OriginalPolicy.FACTORY);
        policies.put("vpa", () -> VpaPolicy.FACTORY);
        policies.put("autopilot", () -> AutopilotPolicy.FACTORY);
        policies.put("default", () -> model);
        policies.put("default-no-anomaly", () -> model.variant("default-no-anomaly", false, s -> s));
        policies.put("default-no-daily", () -> model.variant("default-no-daily", true,
                s -> s.withDailyLookaheadSteps(0)));
        policies.put("default-no-recommender", () -> ModelPolicyFactory.of("default-no-recommender",
                modelConfig.withRecommender(false)));
    }

    /** Every policy name, in report order. */
    public List<String> names() {
        return List.copyOf(policies.keySet());
    }

    /** The names replayed when none are given: the baselines and {@code default}. */
    public static List<String> standard() {
        return List.of("static", "original", "vpa", "autopilot", "default");
    }

    /**
     * The factories for {@code names} ({@link #standard()} when empty), followed, with {@code sweep}, by
     * {@code default} at each of {@link #SWEEP_MARGINS}.
     *
     * @throws IllegalArgumentException naming an unknown policy and the known ones
     */
    public List<PolicyFactory> resolve(List<String> names, boolean sweep) {
        return resolve(names, sweep, "default");
    }

    /**
     * As {@link #resolve(List, boolean)}, sweeping {@code sweepBase} ({@code default} or one of its
     * ablations) instead of {@code default}.
     */
    public List<PolicyFactory> resolve(List<String> names, boolean sweep, String sweepBase) {
        List<String> wanted = names == null || names.isEmpty() ? standard() : names;
        List<PolicyFactory> out = new ArrayList<>();
        for (String n : wanted) {
            Supplier<PolicyFactory> f = policies.get(n);
            if (f == null) {
                throw new IllegalArgumentException("unknown policy '" + n + "'; known: " + String.join(", ", names()));
            }
            out.add(f.get());
        }
        if (sweep) {
            boolean anomaly;
            java.util.function.UnaryOperator<io.lxcautoscale.model.policy.PolicySettings> base;
            switch (sweepBase) {
                case "default" -> { anomaly = true; base = s -> s; }
                case "default-no-anomaly" -> { anomaly = false; base = s -> s; }
                case "default-no-daily" -> { anomaly = true; base = s -> s.withDailyLookaheadSteps(0); }
                default -> throw new IllegalArgumentException("--sweep-base must be default, default-no-anomaly or"
                        + " default-no-daily, got '" + sweepBase + "'");
            }
            for (MemoryRisk r : SWEEP_RISKS) {
                out.add(model.variant(sweepBase + "@memory_risk=" + r.key(), anomaly,
                        s -> base.apply(s).withMemoryRisk(r, stepSeconds)));
            }
        }
        return out;
    }
}
