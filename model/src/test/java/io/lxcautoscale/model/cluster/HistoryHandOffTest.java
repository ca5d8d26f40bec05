package io.lxcautoscale.model.cluster;

import static io.lxcautoscale.model.cluster.ClusterFixtures.ct;
import static io.lxcautoscale.model.cluster.ClusterFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.model.history.StepHistory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryHandOffTest {
    private static final List<io.lxcautoscale.common.pveapi.PveNode> NODES = List.of(node("pve1", 8, 32768), node("pve2", 8, 32768),
            node("pve3", 8, 32768));

    /** Answers from a script, one per request, and records the requests. */
    private static final class ScriptedPeers implements HistoryHandOff.PeerSource {
        final List<String> asked = new ArrayList<>();
        final Deque<Object> answers = new ArrayDeque<>();

        @Override
        public Optional<StepHistory> fetch(String node, String vmid) throws IOException {
            asked.add(node + " " + vmid);
            Object a = answers.removeFirst();
            if (a instanceof IOException e) {
                throw e;
            }
            if (a instanceof IllegalArgumentException e) {
                throw e;
            }
            return a instanceof StepHistory s ? Optional.of(s) : Optional.empty();
        }
    }

    private static ClusterView view(String... vmidAtNode) {
        List<io.lxcautoscale.common.pveapi.PveGuest> guests = new ArrayList<>();
        for (String v : vmidAtNode) {
            String[] p = v.split("@");
            guests.add(ct(Integer.parseInt(p[0]), p[1], 1, 512));
        }
        return ClusterView.of("pve1", guests, NODES, true);
    }

    private static StepHistory steps(String vmid) {
        return new StepHistory(vmid, "ct" + vmid, 300, 0, new float[] {0.5f}, new float[] {100});
    }

    @Test
    void aContainerThatArrivesFromAnotherNodeIsFetchedFromThatNodeOnceSampledHere() {
        ScriptedPeers peers = new ScriptedPeers();
        HistoryHandOff handOff = new HistoryHandOff("pve1", peers);
        handOff.observe(view("105@pve2", "106@pve1"));
        assertThat(handOff.due()).isEmpty();
        handOff.observe(view("105@pve1", "106@pve1"));
        assertThat(handOff.due()).isEqualTo(Map.of("105", "pve2"));

        assertThat(handOff.fetchDue(Set.of("106"))).as("105 not sampled here yet").isEmpty();
        assertThat(peers.asked).isEmpty();
        peers.answers.add(steps("105"));
        handOff.observe(view("105@pve1", "106@pve1"));
        List<StepHistory> fetched = handOff.fetchDue(Set.of("105", "106"));
        assertThat(fetched).extracting(StepHistory::vmid).containsExactly("105");
        assertThat(peers.asked).containsExactly("pve2 105");
        assertThat(handOff.due()).isEmpty();
    }

    @Test
    void aModelStartedAfterTheMoveOrAContainerThatMovesOnIsNotFetched() {
        ScriptedPeers peers = new ScriptedPeers();
        HistoryHandOff handOff = new HistoryHandOff("pve1", peers);
        handOff.observe(view("105@pve1")); // first view: nothing to compare with
        assertThat(handOff.due()).isEmpty();
        handOff.observe(view("105@pve3"));
        handOff.observe(view("105@pve1"));
        assertThat(handOff.due()).isEqualTo(Map.of("105", "pve3"));
        handOff.observe(view("105@pve2")); // moved on before it was sampled here
        assertThat(handOff.due()).isEmpty();
        handOff.observe(view()); // and gone from the view: forgotten
        handOff.observe(view("105@pve1"));
        assertThat(handOff.due()).as("no previous node known").isEmpty();
    }

    @Test
    void anUnreachableNodeIsAskedOncePerCycleAndGivenUpAfterTheLastAttempt() {
        ScriptedPeers peers = new ScriptedPeers();
        HistoryHandOff handOff = new HistoryHandOff("pve1", peers);
        handOff.observe(view("105@pve2", "106@pve2", "107@pve3"));
        handOff.observe(view("105@pve1", "106@pve1", "107@pve1"));
        peers.answers.add(new IOException("connection refused"));
        peers.answers.add(steps("107"));
        assertThat(handOff.fetchDue(Set.of("105", "106", "107"))).extracting(StepHistory::vmid).containsExactly("107");
        // pve2 failed for 105, so 106 is not asked of it in the same cycle; 107 came from pve3 and is answered
        assertThat(peers.asked).containsExactly("pve2 105", "pve3 107");
        assertThat(handOff.due()).isEqualTo(Map.of("105", "pve2", "106", "pve2"));
        for (int cycle = 2; cycle <= HistoryHandOff.MAX_ATTEMPTS; cycle++) {
            peers.asked.clear();
            peers.answers.add(new IOException("connection refused"));
            assertThat(handOff.fetchDue(Set.of("105", "106", "107"))).isEmpty();
            assertThat(peers.asked).as("cycle %d", cycle).containsExactly("pve2 105");
            if (cycle < HistoryHandOff.MAX_ATTEMPTS) {
                assertThat(handOff.due()).as("after cycle %d", cycle).isEqualTo(Map.of("105", "pve2", "106", "pve2"));
            }
        }
        assertThat(handOff.due()).as("given up after %d failed cycles", HistoryHandOff.MAX_ATTEMPTS).isEmpty();
    }

    @Test
    void noHistoryThereOrAnUnreadableAnswerIsNotAskedAgain() {
        ScriptedPeers peers = new ScriptedPeers();
        HistoryHandOff handOff = new HistoryHandOff("pve1", peers);
        handOff.observe(view("105@pve2", "106@pve3"));
        handOff.observe(view("105@pve1", "106@pve1"));
        peers.answers.add("none");
        peers.answers.add(new IllegalArgumentException("step_seconds: 0 is not a positive whole number"));
        assertThat(handOff.fetchDue(Set.of("105", "106"))).isEmpty();
        assertThat(peers.asked).containsExactly("pve2 105", "pve3 106");
        assertThat(handOff.due()).isEmpty();
    }
}
