package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.model.history.StepHistory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migrated container's history follows it (docs/cluster.md, "History after a migration"):
 * <ol>
 *   <li><b>Notice the move</b>: from one cycle's cluster view to the next, a container whose node changed from
 *       another node to this one has migrated here from that node.</li>
 *   <li><b>Wait for a sample here</b>: its steps are asked for once this node's monitor has sampled it, so they go in
 *       front of a history that exists.</li>
 *   <li><b>Fetch its steps</b> from the node it left ({@link PeerSource}: that node's API daemon, which asks its
 *       model); that model keeps them until {@code history.forget_after_seconds} after its last sample there.</li>
 *   <li><b>Give up</b> when that node has none, answers with something unreadable, or fails {@link #MAX_ATTEMPTS}
 *       cycles in a row (offline, say): the container then warms up from its own samples here, as before.</li>
 * </ol>
 * A model that starts after a migration has no earlier view to compare with, so it does not see that move.
 */
public final class HistoryHandOff {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryHandOff.class);
    /** Cycles a failing fetch is tried before the container's old steps are given up. */
    public static final int MAX_ATTEMPTS = 10;

    /** The steps another node's model keeps for a container. */
    public interface PeerSource {
        /**
         * @return the steps, or empty when that node has none for it
         * @throws IOException when that node cannot say now (unreachable, busy): asked again next cycle
         * @throws IllegalArgumentException when its answer cannot be read: not asked again
         */
        Optional<StepHistory> fetch(String node, String vmid) throws IOException;
    }

    /** A container that arrived from {@code fromNode}, and the fetches tried so far. */
    private record Arrival(String fromNode, int attempts) {
    }

    private final String localNode;
    private final PeerSource peers;
    private final Map<String, String> lastNode = new HashMap<>();
    private final Map<String, Arrival> arrivals = new LinkedHashMap<>();

    public HistoryHandOff(String localNode, PeerSource peers) {
        this.localNode = localNode;
        this.peers = peers;
    }

    /** Step 1: notes where each container of this cycle's view runs; one that came here from another node is due. */
    public void observe(ClusterView view) {
        Map<String, String> now = new HashMap<>();
        // in VMID order, so fetches and their log lines come in the same order every cycle
        for (String vmid : view.containerIds().stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList()) {
            PveGuest g = view.container(vmid).orElseThrow();
            now.put(vmid, g.node());
            String before = lastNode.get(vmid);
            if (localNode.equals(g.node()) && before != null && !before.equals(localNode)) {
                LOG.info("container {}: migrated here from {}; its history there will be asked for", vmid, before);
                arrivals.put(vmid, new Arrival(before, 0));
            } else if (!localNode.equals(g.node())) {
                arrivals.remove(vmid); // moved on again, or never here
            }
        }
        arrivals.keySet().retainAll(now.keySet());
        lastNode.clear();
        lastNode.putAll(now);
    }

    /** The containers whose old steps are still to be fetched, with the node each came from. */
    public Map<String, String> due() {
        Map<String, String> out = new LinkedHashMap<>();
        arrivals.forEach((vmid, a) -> out.put(vmid, a.fromNode()));
        return out;
    }

    /**
     * Steps 2 to 4: fetches the steps of every due container that has a history here ({@code sampledHere}); the
     * ones fetched are returned for the caller to put in front of those histories.
     */
    public List<StepHistory> fetchDue(Set<String> sampledHere) {
        List<StepHistory> fetched = new ArrayList<>();
        Map<String, String> failedNodes = new HashMap<>(); // one failed request per node and cycle, not one per container
        for (Iterator<Map.Entry<String, Arrival>> it = arrivals.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Arrival> e = it.next();
            String vmid = e.getKey();
            Arrival a = e.getValue();
            if (!sampledHere.contains(vmid)) {
                continue;
            }
            try {
                String failed = failedNodes.get(a.fromNode());
                if (failed != null) {
                    throw new IOException(failed);
                }
                Optional<StepHistory> steps = peers.fetch(a.fromNode(), vmid);
                it.remove();
                if (steps.isPresent()) {
                    fetched.add(steps.get());
                } else {
                    LOG.info("container {}: node {} has no history of it; it warms up here from its own samples", vmid, a.fromNode());
                }
            } catch (IllegalArgumentException ex) {
                it.remove();
                LOG.warn("container {}: the history node {} sent cannot be used ({}); it warms up here from its own samples", vmid,
                        a.fromNode(), ex.getMessage());
            } catch (IOException ex) {
                failedNodes.putIfAbsent(a.fromNode(), ex.getMessage());
                int attempts = a.attempts() + 1;
                if (attempts >= MAX_ATTEMPTS) {
                    it.remove();
                    LOG.warn("container {}: its history on node {} could not be fetched in {} cycles ({}); given up, it warms up "
                            + "here from its own samples", vmid, a.fromNode(), attempts, ex.getMessage());
                } else {
                    e.setValue(new Arrival(a.fromNode(), attempts));
                    LOG.info("container {}: its history on node {} cannot be fetched now ({}); asked again next cycle", vmid,
                            a.fromNode(), ex.getMessage());
                }
            }
        }
        return fetched;
    }
}
