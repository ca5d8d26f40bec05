package io.lxcautoscale.model.replay.sim;

import io.lxcautoscale.model.replay.trace.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs every policy over every trace and aggregates the scores. The traces are replayed in lock step as
 * one host, one policy after the other: the policy's {@link HostSession} joins every trace, then for
 * t = 0 … (longest trace − 1) each trace that still has step t records it, the host runs its cycle, and
 * each decides. A trace's simulation and scores stay its own ({@code docs/reference/replay-scoring.md} §3); only what a policy's
 * host shares (the model daemon's pooled anomaly model) is common. Within a phase the traces are spread
 * over {@code threads} threads, and the host's cycle runs alone between phases, so the results do not depend
 * on the thread count. Where the host says that its next cycles change nothing the policies see
 * ({@link HostSession#quietCycles()}: the pooled forest is only retrained every {@code retrain_every_cycles}),
 * each trace runs through those steps on its own and the cycles follow; a host without a cycle shares
 * nothing, so each trace runs through all its steps.
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
            int t = 0;
            while (t < longest) {
                int quiet = Math.min(host.quietCycles(), longest - t);
                if (quiet > 0) {
                    // nothing the policies see changes before step t + quiet: each trace runs through alone
                    int end = t + quiet;
                    List<Simulator.Run> live = live(runs);
                    AtomicInteger next = new AtomicInteger();
                    runWorkers(Math.min(workers, live.size()), pool, w -> {
                        for (int i = next.getAndIncrement(); i < live.size(); i = next.getAndIncrement()) {
                            Simulator.Run r = live.get(i);
                            while (r.t() < end && !r.done()) {
                                step(r, Simulator.Run::step, factory);
                            }
                        }
                    });
                    for (; t < end; t++) {
                        cycle(host, runs, t);
                    }
                } else {
                    List<Simulator.Run> live = live(runs);
                    forEach(live, Simulator.Run::record, pool, workers, factory);
                    cycle(host, runs, t);
                    forEach(live, Simulator.Run::decide, pool, workers, factory);
                    t++;
                }
            }
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

    /** The traces that have not ended. */
    private static List<Simulator.Run> live(List<Simulator.Run> runs) {
        List<Simulator.Run> live = new ArrayList<>(runs.size());
        for (Simulator.Run r : runs) {
            if (!r.done()) {
                live.add(r);
            }
        }
        return live;
    }

    /** The host's cycle t: first the traces that ended before step t leave, as the daemon forgets a container. */
    private static void cycle(HostSession host, List<Simulator.Run> runs, int t) {
        for (Simulator.Run r : runs) {
            if (r.trace().steps() == t) {
                host.leave(r.policy());
            }
        }
        host.cycle(t);
    }

    /** Applies {@code action} to every run, spread over {@code workers} threads; returns when all are done. */
    private static void forEach(List<Simulator.Run> runs, Consumer<Simulator.Run> action, ExecutorService pool,
                                int workers, PolicyFactory factory) {
        AtomicInteger next = new AtomicInteger();
        runWorkers(Math.min(workers, runs.size()), pool, w -> {
            for (int i = next.getAndIncrement(); i < runs.size(); i = next.getAndIncrement()) {
                step(runs.get(i), action, factory);
            }
        });
    }

    /** A worker's body; {@code w} is its index in [0, workers). */
    private interface Worker {
        void run(int w);
    }

    /** Runs worker 0 on the calling thread and the others on {@code pool}; rethrows the first failure. */
    private static void runWorkers(int workerCount, ExecutorService pool, Worker body) {
        int workers = Math.max(1, workerCount);
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
                if (failure == null) {
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

    private static void step(Simulator.Run run, Consumer<Simulator.Run> action, PolicyFactory factory) {
        try {
            action.accept(run);
        } catch (RuntimeException e) {
            throw new IllegalStateException("replay of trace " + run.trace().name() + " with " + factory.name()
                    + " failed at step " + run.t() + ": " + e, e);
        }
    }
}
