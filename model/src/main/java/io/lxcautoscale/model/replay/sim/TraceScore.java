package io.lxcautoscale.model.replay.sim;

/**
 * The sums behind the scores of {@code docs/reference/replay-scoring.md} §5 for one trace, or for several traces added together ("totals": sums of
 * numerators and denominators). Ratios are derived on demand.
 *
 * @param traces             traces summed (1 for one trace)
 * @param steps              steps replayed
 * @param traceDays          steps × Δ / 86 400, the denominator of changes per day
 * @param containerDays      (trace, calendar day UTC) pairs
 * @param oomFreeDays        of those, days without an OOM step
 * @param changes            steps whose allocation differs from the previous step's
 * @param coreSteps          Σ coresₜ
 * @param unusedCoreSteps    Σ (coresₜ − uₜ)
 * @param demandCoreSteps    Σ dₜ (clipped demand)
 * @param shortCoreSteps     Σ max(0, dₜ − coresₜ)
 * @param throttledSteps     steps with dₜ > coresₜ
 * @param memoryMbSteps      Σ memMbₜ
 * @param unusedMemoryMbSteps Σ (memMbₜ − vₜ)
 * @param oomSteps           steps with mₜ > memMbₜ
 * @param wastedCoreSeconds  Σ (coresₜ − uₜ)·Δ
 * @param wastedMbSeconds    Σ (memMbₜ − vₜ)·Δ
 * @param hasMemory          whether memory was replayed
 */
public record TraceScore(int traces, long steps, double traceDays, long containerDays, long oomFreeDays, long changes,
                         double coreSteps, double unusedCoreSteps, double demandCoreSteps, double shortCoreSteps,
                         long throttledSteps, double memoryMbSteps, double unusedMemoryMbSteps, long oomSteps,
                         double wastedCoreSeconds, double wastedMbSeconds, boolean hasMemory) {
    /** The neutral element of {@link #plus}. */
    public static final TraceScore EMPTY = new TraceScore(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true);

    /** Totals of this and {@code o}. */
    public TraceScore plus(TraceScore o) {
        return new TraceScore(traces + o.traces, steps + o.steps, traceDays + o.traceDays,
                containerDays + o.containerDays, oomFreeDays + o.oomFreeDays, changes + o.changes,
                coreSteps + o.coreSteps, unusedCoreSteps + o.unusedCoreSteps, demandCoreSteps + o.demandCoreSteps,
                shortCoreSteps + o.shortCoreSteps, throttledSteps + o.throttledSteps, memoryMbSteps + o.memoryMbSteps,
                unusedMemoryMbSteps + o.unusedMemoryMbSteps, oomSteps + o.oomSteps,
                wastedCoreSeconds + o.wastedCoreSeconds, wastedMbSeconds + o.wastedMbSeconds,
                (traces == 0 || hasMemory) && o.hasMemory);
    }

    public double cpuSlack() {
        return ratio(unusedCoreSteps, coreSteps);
    }

    public double cpuShortage() {
        return ratio(shortCoreSteps, demandCoreSteps);
    }

    public double throttledShare() {
        return ratio(throttledSteps, steps);
    }

    /** NaN without memory. */
    public double memorySlack() {
        return hasMemory ? ratio(unusedMemoryMbSteps, memoryMbSteps) : Double.NaN;
    }

    /** NaN without memory. */
    public double oomFreeDayShare() {
        return hasMemory ? ratio(oomFreeDays, containerDays) : Double.NaN;
    }

    public double changesPerDay() {
        return ratio(changes, traceDays);
    }

    public double wastedCoreHours() {
        return wastedCoreSeconds / 3600.0;
    }

    /** NaN without memory. */
    public double wastedGbHours() {
        return hasMemory ? wastedMbSeconds / 1024.0 / 3600.0 : Double.NaN;
    }

    private static double ratio(double num, double den) {
        return den > 0 ? num / den : 0.0;
    }
}
