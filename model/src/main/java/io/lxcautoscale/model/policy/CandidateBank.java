package io.lxcautoscale.model.policy;

import java.util.List;

/**
 * One container's bank of candidate memory models, each replayed on the container's own completed steps as
 * they arrive (Autopilot's ML recommender, simplified to peak-over-window models): every candidate keeps
 * the memory limit it would have set, and a cost that decays with {@link RecommenderWeights#costHalfLifeHours}:
 *
 * <pre>
 *   cost ← decay · cost + w_overrun · [peak &gt; limit] + w_unused · (limit − peak) / limit + w_change · [limit changed]
 * </pre>
 *
 * charged for each completed step with the limit that was in force during it. Then the candidate moves its
 * limit as the policy would: to the peak of its window × (1 + its margin) when that is higher, or more than
 * {@link PolicySettings#DOWN_BAND_FRACTION} lower; after an overrun to at least peak × 1.2 (the OOM bump).
 * The container uses the cheapest candidate ({@link #chosen}); it switches only when another one is cheaper
 * by more than one change's price, and not before the bank has scored {@link #WARMUP_HOURS} of steps (until
 * then it uses {@link #referenceIndex}, the candidate closest to the memory risk preset).
 *
 * <p>Cost per step: O(candidates) — the window peaks are sliding maxima ({@link SlidingMax}), nothing is
 * replayed again. Steps flagged anomalous by the anomaly model are scored but not learned: they do not
 * enter the window peaks (an unusual spike is not taken as the container's normal demand; the OOM bump and
 * the anomaly boost still answer it). A step that ended with an unanswered OOM kill counts with its peak × 1.2:
 * used memory is capped by the allocation, so the demand was higher than the container could show. Not thread-safe: one bank per container, used by one decision at a time.
 */
public final class CandidateBank {
    /** Hours of scored steps before the bank may leave its reference candidate. */
    static final int WARMUP_HOURS = 24;
    static final double OOM_BUMP_RATIO = 1.2;

    private final List<Candidate> candidates;
    private final RecommenderWeights weights;
    private final int stepSeconds;
    private final SlidingMax[] windows;
    private final int[] windowOf;
    private final double[] limit;
    private final double[] cost;
    private final double decay;
    private final int referenceIndex;
    private final boolean[] windowMaxKnown;
    private int chosen;
    private long scoredSteps;
    private long lastFedStepEnd = Long.MIN_VALUE;
    private boolean currentStepAnomalous;

    /**
     * @param candidates  the models to compare (at least one)
     * @param weights     cost weights
     * @param reference   the candidate used until the bank is warmed up (one of {@code candidates})
     * @param stepSeconds length of one step, &gt; 0
     */
    public CandidateBank(List<Candidate> candidates, RecommenderWeights weights, Candidate reference, int stepSeconds) {
        if (candidates.isEmpty() || stepSeconds <= 0) {
            throw new IllegalArgumentException("a bank needs candidates and a positive step");
        }
        this.candidates = List.copyOf(candidates);
        this.weights = weights;
        this.stepSeconds = stepSeconds;
        List<Integer> hours = this.candidates.stream().map(Candidate::windowHours).distinct().sorted().toList();
        this.windows = new SlidingMax[hours.size()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new SlidingMax((int) Math.max(1, (long) hours.get(i) * 3600 / stepSeconds));
        }
        this.windowMaxKnown = new boolean[windows.length];
        this.windowOf = new int[this.candidates.size()];
        for (int c = 0; c < windowOf.length; c++) {
            windowOf[c] = hours.indexOf(this.candidates.get(c).windowHours());
        }
        this.limit = new double[this.candidates.size()];
        java.util.Arrays.fill(limit, Double.NaN);
        this.cost = new double[this.candidates.size()];
        this.decay = Math.pow(0.5, stepSeconds / (weights.costHalfLifeHours() * 3600.0));
        int ref = this.candidates.indexOf(reference);
        if (ref < 0) {
            throw new IllegalArgumentException("the reference candidate must be one of the candidates");
        }
        this.referenceIndex = ref;
        this.chosen = ref;
    }

    /**
     * Feeds the steps of {@code view} completed since the last call (all but its newest, still running, step)
     * and remembers whether the newest one is anomalous, so that it is not learned once it completes.
     */
    public void observe(ContainerView view) {
        int completed = view.steps() - 1;
        if (completed > 0) {
            long lastCompletedEnd = view.lastStepEndEpochSecond() - stepSeconds;
            int fresh = lastFedStepEnd == Long.MIN_VALUE ? completed
                    : (int) Math.min(completed, Math.max(0, (lastCompletedEnd - lastFedStepEnd) / stepSeconds));
            for (int i = completed - fresh; i < completed; i++) {
                // only the step that was running at the previous call carries its anomaly verdict
                boolean newest = i == completed - 1;
                boolean anomalous = newest && fresh == 1 && currentStepAnomalous;
                double peak = view.memoryPeakMb()[i];
                // an OOM kill means the demand was above what the container could show: at least the OOM bump's
                step(newest && view.oomKills() > 0 ? peak * OOM_BUMP_RATIO : peak, !anomalous);
            }
            if (fresh > 0) {
                lastFedStepEnd = lastCompletedEnd;
            }
        }
        currentStepAnomalous = view.anomaly().anomalous();
    }

    /**
     * Scores one completed step with peak used memory {@code peakMb} (NaN = not measured: nothing happens) and
     * moves every candidate's limit.
     *
     * @param learn false for a step the anomaly model flagged: scored, but kept out of the window peaks
     */
    void step(double peakMb, boolean learn) {
        if (Double.isNaN(peakMb)) {
            return;
        }
        for (int w = 0; w < windows.length; w++) {
            if (learn || !windowMaxKnown[w]) {
                windows[w].push(peakMb);
                windowMaxKnown[w] = true;
            } else {
                windows[w].skip();
            }
        }
        boolean scored = false;
        for (int c = 0; c < limit.length; c++) {
            Candidate cand = candidates.get(c);
            double peak = windows[windowOf[c]].max();
            double target = (Double.isNaN(peak) ? peakMb : peak) * (1 + cand.margin());
            double l = limit[c];
            double stepCost = 0;
            double next;
            if (Double.isNaN(l)) {
                next = target;
            } else {
                scored = true;
                boolean overrun = peakMb > l;
                stepCost = weights.unused() * Math.max(0, l - peakMb) / l
                        + (overrun ? weights.overrun() : 0);
                if (overrun) {
                    next = Math.max(target, peakMb * OOM_BUMP_RATIO);
                } else if (target > l || target < l * (1 - PolicySettings.DOWN_BAND_FRACTION)) {
                    next = target;
                } else {
                    next = l;
                }
                if (next != l) {
                    stepCost += weights.change();
                }
            }
            limit[c] = next;
            cost[c] = decay * cost[c] + stepCost;
        }
        if (scored) {
            scoredSteps++;
        }
        if (warmedUp()) {
            int best = chosen;
            for (int c = 0; c < cost.length; c++) {
                if (cost[c] < cost[best]) {
                    best = c;
                }
            }
            if (cost[best] < cost[chosen] - weights.change()) {
                chosen = best;
            }
        }
    }

    /** True once the bank has scored {@link #WARMUP_HOURS} of steps and may choose. */
    public boolean warmedUp() {
        return scoredSteps * stepSeconds >= WARMUP_HOURS * 3600L;
    }

    /** The candidate the container uses now. */
    public Candidate chosen() {
        return candidates.get(chosen);
    }

    /** The memory limit the chosen candidate would set now, MiB (NaN before the first step). */
    public double limitMb() {
        return limit[chosen];
    }

    /** The chosen candidate's decayed cost. */
    public double chosenCost() {
        return cost[chosen];
    }

    /** The reference candidate's decayed cost (what the preset alone would have cost). */
    public double referenceCost() {
        return cost[referenceIndex];
    }

    public Candidate reference() {
        return candidates.get(referenceIndex);
    }

    public int size() {
        return candidates.size();
    }

    /** Decayed cost of candidate {@code i} (tests). */
    double cost(int i) {
        return cost[i];
    }

    /** Current limit of candidate {@code i} (tests). */
    double limit(int i) {
        return limit[i];
    }

    /**
     * A memory model: the allocation covers the peak of used memory over {@code windowHours}, plus
     * {@code margin} (0.1 = +10 %).
     */
    public record Candidate(int windowHours, double margin) {
        public Candidate {
            if (windowHours < 1 || margin < 0) {
                throw new IllegalArgumentException("a candidate needs a window of >= 1 h and a margin >= 0");
            }
        }

        /** E.g. {@code peak 24 h +10 %}. */
        public String label() {
            return String.format("peak %d h +%.0f %%", windowHours, margin * 100);
        }
    }
}
