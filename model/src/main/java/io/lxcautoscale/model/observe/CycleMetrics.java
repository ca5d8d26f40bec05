package io.lxcautoscale.model.observe;

import java.time.Instant;

/**
 * The daemon's own health for alerting: when the last cycle ended, whether the API answered it, and how many
 * cycles ran. Updated by the cycle, read by scrapes.
 */
public final class CycleMetrics implements MetricsSource {
    private long cycles;
    private double lastCycleEpochSeconds = Double.NaN;
    private boolean apiReachable;
    private long historiesTakenOver;
    private long stepsTakenOver;

    /** Records a finished cycle at {@code at}; {@code apiAnswered} false when the allocations could not be fetched. */
    public synchronized void cycle(Instant at, boolean apiAnswered) {
        cycles++;
        lastCycleEpochSeconds = at.getEpochSecond() + at.getNano() / 1e9;
        apiReachable = apiAnswered;
    }

    /** Records that {@code steps} steps of a migrated container's history were taken over from its old node. */
    public synchronized void historyTakenOver(int steps) {
        historiesTakenOver++;
        stepsTakenOver += steps;
    }

    @Override
    public synchronized void writeTo(PrometheusText out) {
        out.family("lxcas_model_cycles_total", "counter", "Cycles the model daemon ran since it started.");
        out.sample(cycles);
        out.family("lxcas_model_last_cycle_timestamp_seconds", "gauge", "When the last cycle ran, Unix time in seconds.");
        if (!Double.isNaN(lastCycleEpochSeconds)) {
            out.sample(lastCycleEpochSeconds);
        }
        out.family("lxcas_model_api_up", "gauge", "1 when the API answered the last cycle's allocation fetch, else 0.");
        if (cycles > 0) {
            out.sample(apiReachable ? 1 : 0);
        }
        out.family("lxcas_model_histories_taken_over_total", "counter",
                "Migrated containers whose history was taken over from the node they left (cluster mode).");
        out.sample(historiesTakenOver);
        out.family("lxcas_model_history_steps_taken_over_total", "counter",
                "Policy steps taken over with those histories (cluster mode).");
        out.sample(stepsTakenOver);
    }
}
