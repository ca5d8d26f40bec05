package io.lxcautoscale.model.replay.sim;

import io.lxcautoscale.model.replay.trace.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs every policy over every trace and aggregates the scores. The traces are replayed in lock step as
 * one host, one policy after the other: the policy's {@link HostSession} joins every trace, then for
 * t = 0 … (longest trace − 1) each trace that still has step t records it, the host runs its cycle, and
 * each decides. A trace's simulation and scores stay its own (SPEC.md "Simulation"); only what a policy's
 * host shares (the model daemon's pooled anomaly model) is common. The traces are spread over
 * {@code threads} threads, each owning a fixed share; they meet at a barrier once per step, where the host's
 * cycle runs, so the results do not depend on the thread count. A host without a cycle shares nothing
 * between traces, so its traces need no barrier and each runs through on whichever thread takes it.
 */
public final class ReplayRunner {
    private ReplayRunner() {
    }

    /**
     * Results in the order of {@code factories}; per-trace scores in the order of {@code traces}.
     *
     * @param pool    worker threads (at least {@code threads − 1}; the calling thread works too)
     * @param threads how many threads share a step's traces (1 = all on the calling thread)
     */
    public static List<PolicyResult> run(List<Trace> traces, List<PolicyFactory> factories, ExecutorService pool,
                                         int threads) {
        List<PolicyResult> results = new ArrayList<>();
        for (PolicyFactory factory : factories) {
            results.add(run(traces, factory, pool, threads));
        }
        return results;
    }

    /** One policy over all traces in lock step. */
    public static PolicyResult run(List<Trace> traces, PolicyFactory factory, ExecutorService pool, int threads) {
        HostSession host = factory.openHost();
        boolean split = host.hasCycle();
        List<Simulator.Run> runs = new ArrayList<>(traces.size());
        int longest = 0;
        for (Trace trace : traces) {
            ReplayPolicy policy = host.join(Simulator.bounds(trace), trace.stepSeconds());
            runs.add(new Simulator.Run(trace, policy, factory.name(), split));
            longest = Math.max(longest, trace.steps());
        }
        int workers = Math.max(1, Math.min(threads, runs.size()));
        if (!split) {
            // a host without a cycle shares nothing: lock step needs no barrier, each trace runs through
            AtomicInteger next = new AtomicInteger();
            runWorkers(workers, pool, w -> {
                for (int i = next.getAndIncrement(); i < runs.size(); i = next.getAndIncrement()) {
                    Simulator.Run r = runs.get(i);
                    while (!r.done()) {
                        step(r, Simulator.Run::step, factory);
                    }
                }
            });
        } else {
            int steps = longest;
            // the barrier's action runs once per step, in the last worker to arrive, after every live trace has
            // recorded step t and before any decides: the traces that ended leave, then the host's cycle
            int[] t = {0};
            CyclicBarrier barrier = new CyclicBarrier(workers, () -> {
                for (Simulator.Run r : runs) {
                    if (r.trace().steps() == t[0]) {
                        host.leave(r.policy());
                    }
                }
                host.cycle(t[0]);
                t[0]++;
            });
            runWorkers(workers, pool, w -> {
                try {
                    lockStep(w, workers, steps, runs, barrier, factory);
                } catch (RuntimeException | Error e) {
                    barrier.reset(); // the others stop at the barrier instead of waiting for this worker
                    throw e;
                }
            });
        }
        TraceScore total = TraceScore.EMPTY;
        List<TraceScore> perTrace = new ArrayList<>(runs.size());
        for (Simulator.Run r : runs) {
            TraceScore s = r.score();
            perTrace.add(s);
            total = total.plus(s);
        }
        return new PolicyResult(factory.name(), total, perTrace);
    }

    /** Worker {@code w} owns traces w, w + workers, …; per step it records them, waits for the cycle, decides. */
    private static void lockStep(int w, int workers, int steps, List<Simulator.Run> runs, CyclicBarrier barrier,
                                 PolicyFactory factory) {
        for (int step = 0; step < steps; step++) {
            for (int i = w; i < runs.size(); i += workers) {
                Simulator.Run r = runs.get(i);
                if (!r.done()) {
                    step(r, Simulator.Run::record, factory);
                }
            }
            await(barrier);
            for (int i = w; i < runs.size(); i += workers) {
                Simulator.Run r = runs.get(i);
                if (r.t() == step && !r.done()) {
                    step(r, Simulator.Run::decide, factory);
                }
            }
        }
    }

    /** A worker's body; {@code w} is its index in [0, workers). */
    private interface Worker {
        void run(int w);
    }

    /** Runs worker 0 on the calling thread and the others on {@code pool}; rethrows the first failure. */
    private static void runWorkers(int workers, ExecutorService pool, Worker body) {
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            int index = w;
            futures.add(pool.submit(() -> body.run(index)));
        }
        Throwable failure = null;
        try {
            body.run(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            } catch (ExecutionException e) {
                if (failure == null || failure instanceof BrokenStep) {
                    failure = e.getCause();
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Waits for the other workers and the host's cycle; a failure elsewhere ends this worker too. */
    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            barrier.reset();
            throw new BrokenStep("replay interrupted");
        } catch (BrokenBarrierException e) {
            throw new BrokenStep("another worker failed");
        }
    }

    private static void step(Simulator.Run run, Consumer<Simulator.Run> action, PolicyFactory factory) {
        try {
            action.accept(run);
        } catch (RuntimeException e) {
            throw new IllegalStateException("replay of trace " + run.trace().name() + " with " + factory.name()
                    + " failed at step " + run.t() + ": " + e, e);
        }
    }

    /** A worker stopped because another one failed (that one's failure is the one reported). */
    private static final class BrokenStep extends RuntimeException {
        BrokenStep(String message) {
            super(message);
        }
    }
}
