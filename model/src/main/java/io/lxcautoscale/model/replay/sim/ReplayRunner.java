package io.lxcautoscale.model.replay.sim;

import io.lxcautoscale.model.replay.trace.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Runs every policy over every trace, one task per trace on a small pool, and aggregates the scores. */
public final class ReplayRunner {
    private ReplayRunner() {
    }

    /** Results in the order of {@code factories}; per-trace scores in the order of {@code traces}. */
    public static List<PolicyResult> run(List<Trace> traces, List<PolicyFactory> factories, ExecutorService pool) {
        List<Future<TraceScore[]>> futures = new ArrayList<>();
        for (Trace trace : traces) {
            futures.add(pool.submit(() -> {
                TraceScore[] scores = new TraceScore[factories.size()];
                for (int p = 0; p < factories.size(); p++) {
                    scores[p] = Simulator.run(trace, factories.get(p));
                }
                return scores;
            }));
        }
        List<List<TraceScore>> perPolicy = new ArrayList<>();
        for (int p = 0; p < factories.size(); p++) {
            perPolicy.add(new ArrayList<>());
        }
        for (int i = 0; i < futures.size(); i++) {
            TraceScore[] scores;
            try {
                scores = futures.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("replay of trace " + traces.get(i).name() + " failed: "
                        + e.getCause(), e.getCause());
            }
            for (int p = 0; p < scores.length; p++) {
                perPolicy.get(p).add(scores[p]);
            }
        }
        List<PolicyResult> results = new ArrayList<>();
        for (int p = 0; p < factories.size(); p++) {
            TraceScore total = TraceScore.EMPTY;
            for (TraceScore s : perPolicy.get(p)) {
                total = total.plus(s);
            }
            results.add(new PolicyResult(factories.get(p).name(), total, perPolicy.get(p)));
        }
        return results;
    }
}
