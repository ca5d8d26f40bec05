package io.lxcautoscale.model.policy;

import io.lxcautoscale.model.testing.ShippedSettings;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The learned memory recommender: costs and choices computed by hand on short step sequences. */
class RecommenderTest {
    private static final CandidateBank.Candidate TIGHT = new CandidateBank.Candidate(1, 0.0);
    private static final CandidateBank.Candidate ROOMY = new CandidateBank.Candidate(1, 0.5);
    /** A cost half-life of one 300-s step: the old cost halves every step. */
    private static final double ONE_STEP_HOURS = 300 / 3600.0;

    private static CandidateBank bank(double change) {
        return new CandidateBank(List.of(TIGHT, ROOMY), new RecommenderWeights(10, 1, change, ONE_STEP_HOURS), ROOMY, 300);
    }

    @Test
    void costsOverrunUnusedAndChangesWithDecay() {
        CandidateBank b = bank(2);
        b.step(100, true);
        b.step(100, true);
        b.step(150, true);
        // tight: limits 100, 100 (no cost), then 150 > 100: overrun 10 + change to max(150, 150 × 1.2) = 180: 2
        assertThat(b.cost(0)).isCloseTo(12.0, within(1e-9));
        assertThat(b.limit(0)).isCloseTo(180.0, within(1e-9));
        // roomy: limit 150; step 2 leaves 50 of 150 unused (1/3); step 3: 0.5 × 1/3 + change to 225 (2)
        assertThat(b.cost(1)).isCloseTo(0.5 / 3 + 2, within(1e-9));
        assertThat(b.limit(1)).isCloseTo(225.0, within(1e-9));
    }

    @Test
    void keepsTheReferenceForADayThenTakesTheCheapest() {
        CandidateBank b = bank(0.1);
        b.step(100, true); // sets the limits, scores nothing
        for (int i = 0; i < 287; i++) {
            b.step(100, true);
        }
        // 287 scored steps: less than a day, the reference (roomy) stays although tight costs nothing
        assertThat(b.warmedUp()).isFalse();
        assertThat(b.chosen()).isEqualTo(ROOMY);
        b.step(100, true);
        // roomy pays 1/3 a step, converged to (1/3) / (1 − 0.5) = 2/3; tight 0; 0 < 2/3 − 0.1: switch
        assertThat(b.cost(1)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(b.chosen()).isEqualTo(TIGHT);
        assertThat(b.limitMb()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aSwitchMustSaveMoreThanOneChange() {
        CandidateBank b = bank(2);
        for (int i = 0; i < 400; i++) {
            b.step(100, true);
        }
        // tight saves only 2/3 against the reference, less than one change (2): no switch
        assertThat(b.chosen()).isEqualTo(ROOMY);
    }

    @Test
    void feedsOnlyCompletedStepsOnce() {
        CandidateBank b = bank(2);
        long t = 1_000_000_200L;
        b.observe(view(t, 100, 100, 150));          // completed: 100, 100
        assertThat(b.limit(0)).isCloseTo(100.0, within(1e-9));
        b.observe(view(t + 300, 100, 100, 150, 150)); // one more completed: 150
        b.observe(view(t + 300, 100, 100, 150, 150)); // same steps again: nothing new
        assertThat(b.cost(0)).isCloseTo(12.0, within(1e-9));
        assertThat(b.limit(0)).isCloseTo(180.0, within(1e-9));
    }

    @Test
    void anAnomalousStepIsScoredButNotLearned() {
        SlidingMax m = new SlidingMax(2);
        m.push(5);
        m.push(3);
        m.push(1);
        assertThat(m.max()).isEqualTo(3.0); // 5 left the 2-step window
        m.skip();
        assertThat(m.max()).isEqualTo(1.0);
        m.skip();
        assertThat(m.max()).isNaN();

        CandidateBank b = bank(2);
        long t = 1_000_000_200L;
        b.observe(view(t, 100, 100, 100));
        b.observe(withAnomaly(view(t + 300, 100, 100, 100, 400), Fixtures.ANOMALOUS)); // the running step is anomalous
        b.observe(view(t + 600, 100, 100, 100, 400, 100));                            // … and completes: 400 not learned
        b.observe(view(t + 900, 100, 100, 100, 400, 100, 100));
        // tight overran at 400 (bumped to 480), then its 1-h window peak is still 100: back down to 100
        assertThat(b.limit(0)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void theStepUsesTheCheapestCandidatesLimit() {
        PolicySettings s = ShippedSettings.policy();
        CandidateBank b = Recommender.newBank(s, 300);
        for (int i = 0; i < 289; i++) {
            b.step(1000, true);
        }
        // every candidate holds 1000 × (1 + margin) and pays margin / (1 + margin) a step: the 5 % ones are cheapest,
        // the first of them in the grid is the 6-h window; the low preset's 24 h +10 % pays ≈ 2× as much (> one change more)
        assertThat(b.chosen()).isEqualTo(new CandidateBank.Candidate(6, 0.05));
        ContainerView v = Fixtures.steady(1, 1000);
        PolicyInput in = new PolicyInput(v, Allocation.running("101", 2, 4096), Fixtures.BIG_NODE, PolicyState.INITIAL,
                Fixtures.NOW, s, b);
        Proposal p = new Recommender().apply(Proposal.keep(in).withTargets(1, 1100), in);
        assertThat(p.memoryTargetMb()).isCloseTo(1050.0, within(1e-9));
        assertThat(p.reasons()).anyMatch(r -> r.startsWith("recommender: peak 6 h +5 %"));

        PolicyInput without = new PolicyInput(v, Allocation.running("101", 2, 4096), Fixtures.BIG_NODE, PolicyState.INITIAL,
                Fixtures.NOW, s);
        assertThat(new Recommender().apply(Proposal.keep(without).withTargets(1, 1100), without).memoryTargetMb())
                .isEqualTo(1100.0);
    }

    @Test
    void aScaleDownIsHeldAtThePreviousDaysComingPeak() {
        PolicySettings s = ShippedSettings.policy();
        CandidateBank b = Recommender.newBank(s, 300);
        for (int i = 0; i < 289; i++) {
            b.step(1000, true);
        }
        double[] mem = new double[289];
        Arrays.fill(mem, 1000);
        mem[100] = 2000; // yesterday, 100 steps after this time of day (inside the 24-h hold, outside the 6-h window)
        ContainerView v = new ContainerView("101", 300, Fixtures.NOW.getEpochSecond(), new double[289], mem, 1, 1000, 0, 0, 0,
                Anomaly.NONE);
        PolicyInput in = new PolicyInput(v, Allocation.running("101", 2, 4096), Fixtures.BIG_NODE, PolicyState.INITIAL,
                Fixtures.NOW, s, b);
        Proposal p = new Recommender().apply(Proposal.keep(in).withTargets(1, 1100), in);
        // the look-ahead would raise it to 2000 × 1.05 within the day: held there
        assertThat(p.memoryTargetMb()).isCloseTo(2100.0, within(1e-9));
    }

    private static ContainerView view(long lastStepEnd, double... memory) {
        return new ContainerView("101", 300, lastStepEnd, new double[memory.length], memory, 0, memory[memory.length - 1],
                0, 0, 0, Anomaly.NONE);
    }

    private static ContainerView withAnomaly(ContainerView v, Anomaly a) {
        return Fixtures.with(v, 0, 0, 0, a);
    }
}
