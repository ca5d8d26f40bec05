package io.lxcautoscale.model.history;

/** The per-sample signals kept in a container's history; all are levels or rates, never cumulative counters. */
public enum Signal {
    /** CPU used, % of the allocation. */
    CPU_PERCENT,
    /** CPU used, cores (NaN in the original's files, which lack it). */
    CPU_CORES,
    /** Used memory, MiB. */
    MEMORY_MB,
    SWAP_MB,
    PROCESSES,
    NET_RX_BYTES_PER_S,
    NET_TX_BYTES_PER_S,
    DISK_READ_BYTES_PER_S,
    DISK_WRITE_BYTES_PER_S,
    /** nr_throttled / nr_periods over the interval, 0–1. */
    THROTTLED_FRACTION,
    PSI_CPU_SOME,
    PSI_MEMORY_SOME,
    PSI_IO_SOME,
    /** memory.events high + max over the interval. */
    MEMORY_EVENTS,
    OOM_KILLS;

    static final Signal[] ALL = values();
}
