package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where an HA-managed container may be recommended to go without HA undoing the move (docs/cluster.md), from its
 * node-affinity rule (PVE 9) or HA group (PVE 8). HA runs a resource on the <i>available</i> listed nodes (online, not
 * in maintenance) of the highest priority; so:
 * <ol>
 *   <li><b>With failback</b> (the default): only those nodes — HA would move it back from any other one as soon as
 *       it could. When none of the listed nodes is available, a {@code strict} rule allows none, a non-strict one any
 *       node.</li>
 *   <li><b>Without failback</b>: a {@code strict} rule allows its listed nodes, a non-strict one any node.</li>
 * </ol>
 * A container without a rule or group may go anywhere.
 */
public final class HaPlacementRule {
    private final PveHaNodeAffinity rule;

    public HaPlacementRule(PveHaNodeAffinity rule) {
        this.rule = rule;
    }

    /** The nodes it may go to, or empty when HA lets it run anywhere. */
    public Optional<Set<String>> allowedTargets(ClusterView view) {
        if (!rule.failback()) {
            return rule.strict() ? Optional.of(new TreeSet<>(rule.nodePriorities().keySet())) : Optional.empty();
        }
        Map<String, Integer> available = rule.nodePriorities().entrySet().stream()
                .filter(e -> view.node(e.getKey()).map(n -> n.online() && n.haAvailable()).orElse(false))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (available.isEmpty()) {
            return rule.strict() ? Optional.of(Set.of()) : Optional.empty();
        }
        int top = available.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        return Optional.of(available.entrySet().stream().filter(e -> e.getValue() == top).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    /** Why a node outside {@link #allowedTargets} is refused, for the journal's reason. */
    public String refusal() {
        return "(HA " + rule.name() + " keeps it on " + rule.nodesText() + (rule.strict() ? ", strict" : "")
                + (rule.failback() ? "" : ", no failback") + ")";
    }
}
