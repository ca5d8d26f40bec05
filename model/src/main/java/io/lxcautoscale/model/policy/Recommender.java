package io.lxcautoscale.model.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The learned memory recommender, a step after {@link Margin}: when the container has a {@link CandidateBank}
 * ({@code scaling.recommender}) that is warmed up, its memory target becomes the limit of the cheapest
 * candidate model on the container's own history, instead of the memory risk preset's peak and margin.
 *
 * <ul>
 *   <li>The daily look-ahead still raises it: when {@link DemandEstimate} found a higher peak coming on
 *       previous days, the target is at least that peak with the candidate's margin.</li>
 *   <li>Churn: a scale-down is not made to a level the daily look-ahead would raise again within the next
 *       {@link #HOLD_HOURS} hours (the peaks that followed this time of day on the previous day, with the
 *       candidate's margin) — memory is not lowered in the evening to be raised again in the morning. Only
 *       with a memory risk preset that uses the look-ahead ({@code low}, {@code lowest}).</li>
 * </ul>
 * Without a bank, or before it has scored a day of steps, the proposal passes unchanged. CPU is not touched.
 */
public final class Recommender implements PolicyStep {
    /** Look-ahead horizon, hours, under which a scale-down is held. */
    static final int HOLD_HOURS = 24;

    /** Window lengths (hours) and margins of the candidate grid. */
    static final int[] WINDOW_HOURS = {6, 24, 72};
    static final double[] MARGINS = {0.05, 0.10, 0.20, 0.30};

    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        CandidateBank bank = in.bank();
        if (bank == null || Double.isNaN(p.memoryTargetMb()) || !bank.warmedUp() || Double.isNaN(bank.limitMb())) {
            return p;
        }
        CandidateBank.Candidate c = bank.chosen();
        double target = Math.max(bank.limitMb(), in.view().recentMemoryMb() * (1 + c.margin()));
        if (Double.isNaN(target)) {
            target = bank.limitMb();
        }
        PolicySettings s = in.settings();
        ContainerView v = in.view();
        String extra = "";
        if (p.memoryPredicted()) {
            double ahead = Series.max(DemandEstimate.lookahead(v, s.memory().dailyLookaheadSteps()), Integer.MAX_VALUE);
            if (!Double.isNaN(ahead) && ahead * (1 + c.margin()) > target) {
                target = ahead * (1 + c.margin());
                extra = ", raised by the daily look-ahead";
            }
        }
        if (s.memory().lookahead() && target < in.currentMemoryMb() && HOLD_HOURS > 0) {
            double held = Series.max(previousDayAhead(v, HOLD_HOURS * 3600 / v.stepSeconds()), Integer.MAX_VALUE);
            if (!Double.isNaN(held) && held * (1 + c.margin()) > target) {
                target = Math.min(in.currentMemoryMb(), held * (1 + c.margin()));
                extra += String.format(", not below %.0f MiB the look-ahead would raise it to within %d h", held, HOLD_HOURS);
            }
        }
        String reason = String.format("recommender: %s of %d candidates (cost %.1f, preset's %s %.1f): memory %.0f MiB%s",
                c.label(), bank.size(), bank.chosenCost(), bank.reference().label(), bank.referenceCost(), target, extra);
        return p.withTargets(p.cpuTargetCores(), target).because(reason);
    }

    /** Per-step memory peaks that followed this time of day on the previous day, up to {@code aheadSteps}. */
    static double[] previousDayAhead(ContainerView v, int aheadSteps) {
        int stepsPerDay = (int) (86_400L / v.stepSeconds());
        int last = v.steps() - 1;
        List<Double> out = new ArrayList<>();
        for (int k = 1; k <= aheadSteps; k++) {
            int i = last - stepsPerDay + k;
            if (i >= 0 && i < last) {
                out.add(v.memoryPeakMb()[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The shipped candidate grid plus the preset's own model, which the bank uses until it is warmed up. */
    public static CandidateBank newBank(PolicySettings settings, int stepSeconds) {
        MemoryRisk risk = settings.memory().risk();
        CandidateBank.Candidate reference = new CandidateBank.Candidate(risk.windowHours(), risk.marginFraction());
        List<CandidateBank.Candidate> grid = new ArrayList<>();
        for (int w : WINDOW_HOURS) {
            for (double m : MARGINS) {
                grid.add(new CandidateBank.Candidate(w, m));
            }
        }
        if (!grid.contains(reference)) {
            grid.add(reference);
        }
        return new CandidateBank(grid, RecommenderWeights.forRisk(risk), reference, stepSeconds);
    }
}
