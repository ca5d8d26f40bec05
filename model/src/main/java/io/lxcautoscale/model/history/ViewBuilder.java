package io.lxcautoscale.model.history;

import io.lxcautoscale.model.policy.Anomaly;
import io.lxcautoscale.model.policy.ContainerView;

/** Fills the policy's {@link ContainerView} from a container's history (the replay harness fills it from a trace). */
public final class ViewBuilder {
    private ViewBuilder() {
    }

    /**
     * @param h               the container's history (not empty)
     * @param cores           its current cores, to turn CPU % into cores where cores were not measured
     * @param recentSeconds   "recent" = the rows of the last this many seconds (the cycle interval)
     * @param anomaly         the model's verdict on the newest row
     */
    public static ContainerView build(ContainerHistory h, int cores, int recentSeconds, Anomaly anomaly) {
        double[][] series = h.stepSeries(cores);
        int last = h.size() - 1;
        long from = h.lastEpochSecond() - recentSeconds;
        double cpuSum = 0;
        int cpuN = 0;
        double throttleSum = 0;
        int throttleN = 0;
        for (int i = last; i >= 0 && (i == last || h.epochSecond(i) > from); i--) {
            double c = h.value(Signal.CPU_CORES, i);
            if (Double.isNaN(c)) {
                double p = h.value(Signal.CPU_PERCENT, i);
                c = Double.isNaN(p) ? Double.NaN : p / 100.0 * cores;
            }
            if (!Double.isNaN(c)) {
                cpuSum += c;
                cpuN++;
            }
            double t = h.value(Signal.THROTTLED_FRACTION, i);
            if (!Double.isNaN(t)) {
                throttleSum += t;
                throttleN++;
            }
        }
        return new ContainerView(h.vmid(), h.stepSeconds(), h.currentStepEndEpochSecond(), series[0], series[1],
                cpuN == 0 ? Double.NaN : cpuSum / cpuN,
                h.value(Signal.MEMORY_MB, last),
                throttleN == 0 ? Double.NaN : throttleSum / throttleN,
                h.value(Signal.PSI_MEMORY_SOME, last),
                h.pendingOomKills(),
                anomaly,
                h.value(Signal.PSI_CPU_SOME, last));
    }
}
