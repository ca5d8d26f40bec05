package io.lxcautoscale.model.replay.sim;

import io.lxcautoscale.model.replay.trace.Trace;

/**
 * Replays one trace through one policy exactly as SPEC.md "Simulation" says: demand clipped to the
 * provisioned size, the allocation at t = 0 is the provisioned size, the policy sees only
 * {@link Observation} and its answer (clamped to {@link Bounds}) takes effect at t + 1.
 */
public final class Simulator {
    private Simulator() {
    }

    /** The bounds every policy gets for {@code trace}. */
    public static Bounds bounds(Trace trace) {
        return Bounds.forProvisioned(trace.provisionedCores(), trace.provisionedMemoryMb(), trace.hasMemory());
    }

    /** Runs {@code factory}'s policy over {@code trace} and returns the trace's score sums. */
    public static TraceScore run(Trace trace, PolicyFactory factory) {
        Bounds bounds = bounds(trace);
        ReplayPolicy policy = factory.create(bounds, trace.stepSeconds());
        boolean hasMemory = trace.hasMemory();
        long step = trace.stepSeconds();
        long[] ts = trace.timestampsSeconds();
        double[] cpu = trace.cpuDemandCores();
        double[] mem = trace.memoryDemandMb();
        int n = trace.steps();

        Resources alloc = bounds.provisioned();
        long changes = 0;
        long throttledSteps = 0;
        long oomSteps = 0;
        double coreSteps = 0;
        double unusedCore = 0;
        double demand = 0;
        double shortCore = 0;
        double memSteps = 0;
        double unusedMem = 0;
        long containerDays = 0;
        long oomFreeDays = 0;
        long currentDay = Long.MIN_VALUE;
        boolean dayHadOom = false;

        for (int t = 0; t < n; t++) {
            long day = Math.floorDiv(ts[t], 86_400L);
            if (day != currentDay) {
                if (currentDay != Long.MIN_VALUE && !dayHadOom) {
                    oomFreeDays++;
                }
                containerDays++;
                currentDay = day;
                dayHadOom = false;
            }
            int cores = alloc.cores();
            double d = Math.min(cpu[t], bounds.maxCores());
            double u = Math.min(d, cores);
            boolean throttled = d > cores;
            double shortfall = Math.max(0, d - cores);
            coreSteps += cores;
            unusedCore += cores - u;
            demand += d;
            shortCore += shortfall;
            if (throttled) {
                throttledSteps++;
            }
            double v = Double.NaN;
            boolean oom = false;
            if (hasMemory) {
                int memMb = alloc.memoryMb();
                double m = Math.min(mem[t], bounds.maxMemoryMb());
                v = Math.min(m, memMb);
                oom = m > memMb;
                memSteps += memMb;
                unusedMem += memMb - v;
                if (oom) {
                    oomSteps++;
                    dayHadOom = true;
                }
            }
            Observation o = new Observation(t, ts[t], u, v, cores, alloc.memoryMb(), throttled,
                    d > 0 ? shortfall / d : 0.0, oom);
            Resources next = policy.observe(o);
            if (next == null) {
                throw new IllegalStateException("policy " + factory.name() + " returned no allocation at step " + t
                        + " of " + trace.name());
            }
            next = bounds.clamp(next);
            if (t + 1 < n && !next.equals(alloc)) {
                changes++;
            }
            alloc = next;
        }
        if (currentDay != Long.MIN_VALUE && !dayHadOom) {
            oomFreeDays++;
        }
        return new TraceScore(1, n, n * (double) step / 86_400.0, containerDays, oomFreeDays, changes,
                coreSteps, unusedCore, demand, shortCore, throttledSteps, memSteps, unusedMem, oomSteps,
                unusedCore * step, unusedMem * step, hasMemory);
    }
}
