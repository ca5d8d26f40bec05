package io.lxcautoscale.model.replay.trace;

import java.util.Locale;

/** The trace formats the replay reads ({@code docs/reference/replay-scoring.md} §1). */
public enum TraceFormat {
    /** GWA-T-12 Bitbrains: one gzipped semicolon CSV per VM, 300 s steps. */
    BITBRAINS,
    /** PlanetLab/CoMon via CloudSim: one CPU-percent integer per line, 288 lines, 300 s steps. */
    PLANETLAB,
    /** A {@code lxc_metrics.json} written by the monitor: one trace per container. */
    METRICS;

    /** The name used on the command line and in the JSON report. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
