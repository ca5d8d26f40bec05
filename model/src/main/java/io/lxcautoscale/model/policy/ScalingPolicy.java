package io.lxcautoscale.model.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The scaling policy: which containers may be touched, and for those three stages, each step working on
 * CPU and memory separately (VPA's recommender → updater → admission split):
 * <ol>
 *   <li><b>estimate</b> — what each resource needs: demand estimate → margin → learned recommender (memory, when
 *       the container has a {@link CandidateBank}) → anomaly boost (urgency per resource);</li>
 *   <li><b>actuation</b> — whether and how far to move toward it: hysteresis, cooldowns, warm-ups → CPU down-hold
 *       (fewer cores only after a sustained low);</li>
 *   <li><b>guards</b> — what may never happen: confidence gate (per resource) → limits → node capacity →
 *       memory floor.</li>
 * </ol>
 * Safety and urgency are per resource: an OOM makes memory urgent and safe from the confidence gate, never
 * the cores change that comes with it. Pure: the same inputs give the same decision, with no I/O, so the
 * daemon and the replay harness run the very same code.
 */
public final class ScalingPolicy {
    private static final List<PolicyStep> ESTIMATE = List.of(new DemandEstimate(), new Margin(), new Recommender(), new AnomalyBoost());
    private static final List<PolicyStep> ACTUATION = List.of(new Hysteresis(), new CpuDownHold());
    private static final List<PolicyStep> GUARDS = List.of(new ConfidenceGate(), new Limits(), new NodeCapacityLimit(), new MemoryFloor());
    private static final List<PolicyStep> CHAIN = concat(ESTIMATE, ACTUATION, GUARDS);

    @SafeVarargs
    private static List<PolicyStep> concat(List<PolicyStep>... stages) {
        List<PolicyStep> all = new ArrayList<>();
        for (List<PolicyStep> stage : stages) {
            all.addAll(stage);
        }
        return List.copyOf(all);
    }

    private final PolicySettings defaults;
    private final List<Tier> tiers;
    private final Set<String> ignoredVmids;
    private final Set<String> optOutTags;

    /**
     * @param defaults     settings for containers in no tier
     * @param tiers        overrides; the first tier that contains a container wins
     * @param ignoredVmids {@code ignore_lxc}
     * @param optOutTags   Proxmox tags that leave a container alone (e.g. {@code autoscale-off})
     */
    public ScalingPolicy(PolicySettings defaults, List<Tier> tiers, Set<String> ignoredVmids, Set<String> optOutTags) {
        this.defaults = defaults;
        this.tiers = List.copyOf(tiers);
        this.ignoredVmids = Set.copyOf(ignoredVmids);
        this.optOutTags = Set.copyOf(optOutTags);
    }

    /** A policy with one set of settings and no exclusions (tests and replay). */
    public static ScalingPolicy of(PolicySettings settings) {
        return new ScalingPolicy(settings, List.of(), Set.of(), Set.of());
    }

    /** The settings that apply to a container. */
    public PolicySettings settingsFor(Allocation current) {
        for (Tier tier : tiers) {
            if (tier.contains(current.vmid(), current.tags())) {
                return tier.settings();
            }
        }
        return defaults;
    }

    /** Decides for one container; never throws for odd usage data (unknown values just mean "no change"). */
    public Decision decide(ContainerView view, Allocation current, NodeCapacity node, PolicyState state, Instant now) {
        return decide(view, current, node, state, null, now);
    }

    /**
     * The same, with the container's learned-recommender bank (null = without it). The caller feeds the bank
     * ({@link CandidateBank#observe}) with the same view before deciding.
     */
    public Decision decide(ContainerView view, Allocation current, NodeCapacity node, PolicyState state, CandidateBank bank,
                           Instant now) {
        int cores = current.effectiveCores(node);
        String skip = skipReason(current);
        if (skip != null) {
            return Decision.skip(current.vmid(), cores, current.memoryMb(), view.anomaly(), skip);
        }
        PolicyInput in = new PolicyInput(view, current, node, state, now, settingsFor(current), bank);
        Proposal p = Proposal.keep(in);
        for (PolicyStep step : CHAIN) {
            p = step.apply(p, in);
        }
        List<String> reasons = new ArrayList<>(p.reasons());
        Action cpu = Action.between(cores, p.cores());
        Action memory = Action.between(current.memoryMb(), p.memoryMb());
        if (cpu == Action.NONE && memory == Action.NONE) {
            reasons.add("no change");
        }
        return new Decision(current.vmid(), cores, current.memoryMb(), p.cores(), p.memoryMb(), cpu, memory,
                Confidence.of(p, in), p.cpuUrgent() || p.memoryUrgent(), false, view.anomaly(), reasons);
    }

    private String skipReason(Allocation a) {
        if (!a.running()) {
            return "skipped: not running";
        }
        if (a.template()) {
            return "skipped: template";
        }
        if (a.lock() != null && !a.lock().isEmpty()) {
            return "skipped: locked (" + a.lock() + ")";
        }
        if (ignoredVmids.contains(a.vmid())) {
            return "skipped: listed in ignore_lxc";
        }
        for (String tag : a.tags()) {
            if (optOutTags.contains(tag)) {
                return "skipped: opted out by tag '" + tag + "'";
            }
        }
        return null;
    }
}
