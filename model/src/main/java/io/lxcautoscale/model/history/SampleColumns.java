package io.lxcautoscale.model.history;

import io.lxcautoscale.common.metrics.SampleFields;
import io.lxcautoscale.common.metrics.SampleRow;

/**
 * The fields of a container sample the history reads (the monitor's keys and the original's), and
 * how they become the {@link Signal} values of a row. Only these are decoded from the metrics file.
 */
final class SampleColumns {
    static final SampleFields FIELDS = new SampleFields();

    private static final int CPU_PERCENT = FIELDS.number("cpu_usage_percent");
    private static final int CPU_PERCENT_OF_ALLOCATION = FIELDS.number("cpu", "percent_of_allocation");
    private static final int CPU_USED_CORES = FIELDS.number("cpu", "used_cores");
    private static final int CPU_NR_PERIODS = FIELDS.number("cpu", "nr_periods");
    private static final int CPU_NR_THROTTLED = FIELDS.number("cpu", "nr_throttled");
    private static final int MEMORY_USAGE_MB = FIELDS.number("memory_usage_mb");
    private static final int MEMORY_USED_MB = FIELDS.number("memory", "used_mb");
    private static final int MEMORY_SHMEM_MB = FIELDS.number("memory", "shmem_mb");
    private static final int SWAP_USAGE_MB = FIELDS.number("swap_usage_mb");
    private static final int MEMORY_SWAP_MB = FIELDS.number("memory", "swap_mb");
    private static final int EVENTS_HIGH = FIELDS.number("memory", "events", "high");
    private static final int EVENTS_MAX = FIELDS.number("memory", "events", "max");
    private static final int EVENTS_OOM_KILL = FIELDS.number("memory", "events", "oom_kill");
    private static final int PROCESS_COUNT = FIELDS.number("process_count");
    private static final int PSI_CPU = FIELDS.number("pressure", "cpu", "some_avg10");
    private static final int PSI_MEMORY = FIELDS.number("pressure", "memory", "some_avg10");
    private static final int PSI_IO = FIELDS.number("pressure", "io", "some_avg10");
    private static final int RATES = FIELDS.isObject("rates");
    private static final int NET_RX_RATE = FIELDS.number("rates", "net_rx_bytes_per_s");
    private static final int NET_TX_RATE = FIELDS.number("rates", "net_tx_bytes_per_s");
    private static final int DISK_READ_RATE = FIELDS.number("rates", "disk_read_bytes_per_s");
    private static final int DISK_WRITE_RATE = FIELDS.number("rates", "disk_write_bytes_per_s");
    private static final int NET_RX_BYTES = FIELDS.number("network_usage", "rx_bytes");
    private static final int NET_TX_BYTES = FIELDS.number("network_usage", "tx_bytes");
    private static final int IO_READS = FIELDS.number("io_stats", "reads");
    private static final int IO_WRITES = FIELDS.number("io_stats", "writes");
    private static final int HOSTNAME = FIELDS.text("allocation", "hostname");

    private SampleColumns() {
    }

    /**
     * Fills every signal but the four byte rates (set from {@code rates.*} when the sample has a
     * {@code rates} object, else NaN for the caller to compute from the counters).
     */
    static void levels(SampleRow s, double[] v) {
        v[Signal.CPU_PERCENT.ordinal()] = first(s.number(CPU_PERCENT), s.number(CPU_PERCENT_OF_ALLOCATION));
        v[Signal.CPU_CORES.ordinal()] = s.number(CPU_USED_CORES);
        v[Signal.MEMORY_MB.ordinal()] = unreclaimableMb(s);
        v[Signal.SWAP_MB.ordinal()] = first(s.number(SWAP_USAGE_MB), s.number(MEMORY_SWAP_MB));
        v[Signal.PROCESSES.ordinal()] = s.number(PROCESS_COUNT);
        double periods = s.number(CPU_NR_PERIODS);
        double throttled = s.number(CPU_NR_THROTTLED);
        v[Signal.THROTTLED_FRACTION.ordinal()] = periods > 0 ? Math.min(1.0, throttled / periods) : (periods == 0 ? 0 : Double.NaN);
        v[Signal.PSI_CPU_SOME.ordinal()] = s.number(PSI_CPU);
        v[Signal.PSI_MEMORY_SOME.ordinal()] = s.number(PSI_MEMORY);
        v[Signal.PSI_IO_SOME.ordinal()] = s.number(PSI_IO);
        double high = s.number(EVENTS_HIGH);
        double max = s.number(EVENTS_MAX);
        v[Signal.MEMORY_EVENTS.ordinal()] = Double.isNaN(high) && Double.isNaN(max) ? Double.NaN : zero(high) + zero(max);
        v[Signal.OOM_KILLS.ordinal()] = s.number(EVENTS_OOM_KILL);
        boolean rates = hasRates(s);
        v[Signal.NET_RX_BYTES_PER_S.ordinal()] = rates ? s.number(NET_RX_RATE) : Double.NaN;
        v[Signal.NET_TX_BYTES_PER_S.ordinal()] = rates ? s.number(NET_TX_RATE) : Double.NaN;
        v[Signal.DISK_READ_BYTES_PER_S.ordinal()] = rates ? s.number(DISK_READ_RATE) : Double.NaN;
        v[Signal.DISK_WRITE_BYTES_PER_S.ordinal()] = rates ? s.number(DISK_WRITE_RATE) : Double.NaN;
    }

    /** Whether the sample carries the monitor's {@code rates} object (else it is the original's, with counters). */
    static boolean hasRates(SampleRow s) {
        return !Double.isNaN(s.number(RATES));
    }

    /** {time, rx bytes, tx bytes, read bytes, written bytes}: the original's cumulative counters (sectors × 512). */
    static double[] counters(SampleRow s, long epochSecond) {
        return new double[] {epochSecond, s.number(NET_RX_BYTES), s.number(NET_TX_BYTES),
                s.number(IO_READS) * 512, s.number(IO_WRITES) * 512};
    }

    static boolean hasHostname(SampleRow s) {
        return s.hasText(HOSTNAME);
    }

    static boolean hostnameIs(SampleRow s, String hostname) {
        return s.textEquals(HOSTNAME, hostname);
    }

    /** The sample's {@code allocation.hostname}, or null. */
    static String hostname(SampleRow s) {
        return s.text(HOSTNAME);
    }

    /**
     * The memory the policy counts as used: what cannot be reclaimed without swap. Proxmox's figure
     * ({@code used_mb} = {@code memory.current − file}) leaves out {@code shmem} (tmpfs, shared memory), which
     * cgroup v2 counts inside {@code file} but which cannot be dropped; when the sample carries
     * {@code memory.shmem_mb} it is added back (used + shmem = anon + shmem + kernel). Without it (older
     * monitors, the original's files) the used figure alone.
     */
    static double unreclaimableMb(SampleRow s) {
        double used = first(s.number(MEMORY_USAGE_MB), s.number(MEMORY_USED_MB));
        double shmem = s.number(MEMORY_SHMEM_MB);
        return Double.isNaN(used) || Double.isNaN(shmem) || shmem < 0 ? used : used + shmem;
    }

    private static double first(double a, double b) {
        return Double.isNaN(a) ? b : a;
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
