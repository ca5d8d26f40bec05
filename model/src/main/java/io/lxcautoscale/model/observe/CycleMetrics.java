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

    /** Records a finished cycle at {@code at}; {@code apiAnswered} false when the allocations could not be fetched. */
    public synchronized void cycle(Instant at, boolean apiAnswered) {
        cycles++;
        lastCycleEpochSeconds = at.getEpochSecond() + at.getNano() / 1e9;
        apiReachable = apiAnswered;
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
    }
}
