package io.lxcautoscale.model.replay.sim;

import io.lxcautoscale.model.replay.trace.Trace;

/**
 * Replays one trace through one policy exactly as {@code docs/reference/replay-scoring.md} §3 and §4 say: demand clipped to the
 * provisioned size, the allocation at t = 0 is the provisioned size, the policy sees only
 * {@link Observation} and its answer (clamped to {@link Bounds}) takes effect at t + 1.
 *
 * <p>{@link Run} is one trace's simulation, advanced a step at a time so that {@link ReplayRunner} can
 * replay many traces in lock step; {@link #run(Trace, PolicyFactory)} runs one trace on its own.
 */
public final class Simulator {
    private Simulator() {
    }

    /** The bounds every policy gets for {@code trace}. */
    public static Bounds bounds(Trace trace) {
        return Bounds.forProvisioned(trace.provisionedCores(), trace.provisionedMemoryMb(), trace.hasMemory());
    }

    /** Runs {@code factory}'s policy over {@code trace} on its own and returns the trace's score sums. */
    public static TraceScore run(Trace trace, PolicyFactory factory) {
        Run run = new Run(trace, factory.create(bounds(trace), trace.stepSeconds()), factory.name(), false);
        while (!run.done()) {
            run.step();
        }
        return run.score();
    }

    /**
     * One trace's simulation state and score sums. Each step is {@link #record()} (what happens at step t,
     * handed to the policy) then {@link #decide()} (the policy's allocation for t + 1); {@link #step()} is
     * both. Not thread-safe; a run may move between threads between calls.
     */
    public static final class Run {
        private final Trace trace;
        private final ReplayPolicy policy;
        private final String policyName;
        private final boolean split;
        private final Bounds bounds;
        private final boolean hasMemory;
        private final long[] ts;
        private final double[] cpu;
        private final double[] mem;
        private final int n;

        private int t;
        private Observation pending;
        private Resources alloc;
        private long changes;
        private long throttledSteps;
        private long oomSteps;
        private double coreSteps;
        private double unusedCore;
        private double demand;
        private double shortCore;
        private double memSteps;
        private double unusedMem;
        private long containerDays;
        private long oomFreeDays;
        private long currentDay = Long.MIN_VALUE;
        private boolean dayHadOom;

        /**
         * A run of {@code policy} (created for this trace's {@link Simulator#bounds}) over {@code trace}.
         *
         * @param split true when the policy's host acts between recording and deciding: a
         *              {@link HostedPolicy} then gets {@link HostedPolicy#record} and {@link HostedPolicy#decide}
         *              separately; otherwise every policy gets {@link ReplayPolicy#observe} at {@link #decide()}
         */
        public Run(Trace trace, ReplayPolicy policy, String policyName, boolean split) {
            this.trace = trace;
            this.policy = policy;
            this.policyName = policyName;
            this.split = split && policy instanceof HostedPolicy;
            this.bounds = bounds(trace);
            this.hasMemory = trace.hasMemory();
            this.ts = trace.timestampsSeconds();
            this.cpu = trace.cpuDemandCores();
            this.mem = trace.memoryDemandMb();
            this.n = trace.steps();
            this.alloc = bounds.provisioned();
        }

        public Trace trace() {
            return trace;
        }

        public ReplayPolicy policy() {
            return policy;
        }

        /** The next step to simulate (= steps done). */
        public int t() {
            return t;
        }

        /** True when every step of the trace has been simulated. */
        public boolean done() {
            return t >= n;
        }

        /** Simulates step t and decides for t + 1. */
        public void step() {
            record();
            decide();
        }

        /** Step t happens under the current allocation; its observation is the policy's (recorded now when split). */
        public void record() {
            if (pending != null || done()) {
                throw new IllegalStateException("record() out of turn at step " + t + " of " + trace.name());
            }
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
            pending = new Observation(t, ts[t], u, v, cores, alloc.memoryMb(), throttled,
                    d > 0 ? shortfall / d : 0.0, oom);
            if (split) {
                ((HostedPolicy) policy).record(pending);
            }
        }

        /** The policy's allocation for t + 1, clamped to the bounds; advances to the next step. */
        public void decide() {
            if (pending == null) {
                throw new IllegalStateException("decide() before record() at step " + t + " of " + trace.name());
            }
            Resources next = split ? ((HostedPolicy) policy).decide() : policy.observe(pending);
            pending = null;
            if (next == null) {
                throw new IllegalStateException("policy " + policyName + " returned no allocation at step " + t
                        + " of " + trace.name());
            }
            next = bounds.clamp(next);
            if (t + 1 < n && !next.equals(alloc)) {
                changes++;
            }
            alloc = next;
            t++;
        }

        /** The trace's score sums (after the last step: the whole trace). */
        public TraceScore score() {
            long freeDays = oomFreeDays + (currentDay != Long.MIN_VALUE && !dayHadOom ? 1 : 0);
            long step = trace.stepSeconds();
            return new TraceScore(1, n, n * (double) step / 86_400.0, containerDays, freeDays, changes,
                    coreSteps, unusedCore, demand, shortCore, throttledSteps, memSteps, unusedMem, oomSteps,
                    unusedCore * step, unusedMem * step, hasMemory);
        }
    }
}
