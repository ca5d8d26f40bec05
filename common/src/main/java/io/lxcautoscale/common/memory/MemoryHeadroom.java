package io.lxcautoscale.common.memory;

/**
 * The one definition of the memory safety headroom, shared by the model's memory floor and the API's
 * refusal of a too-low memory limit: a container using {@code used} MiB needs at least
 * {@code used + max(minMb, used × percent / 100)} MiB, or lowering its limit makes the kernel reclaim and
 * then OOM-kill inside it.
 *
 * <p>The model's floor must never be below the API's (else the API refuses the model's decreases), so the
 * model's headroom is at least {@link #API_DEFAULT} (the model's configuration refuses a smaller one: ModelConfigTest), and the model
 * measures use as the unreclaimable peak of the last hour, which is at least the API's current use.
 *
 * @param percent share of the used memory added, % (≥ 0)
 * @param minMb   at least this many MiB added (≥ 0)
 */
public record MemoryHeadroom(double percent, long minMb) {
    /** The API's shipped headroom ({@code limits.memory_headroom_percent} 10, {@code memory_headroom_min_mb} 64). */
    public static final MemoryHeadroom API_DEFAULT = new MemoryHeadroom(10, 64);

    public MemoryHeadroom {
        if (!(percent >= 0) || minMb < 0) {
            throw new IllegalArgumentException("headroom must be >= 0, got " + percent + " %, " + minMb + " MiB");
        }
    }

    /** The headroom for {@code usedMb}, MiB. */
    public double headroomMb(double usedMb) {
        return Math.max(minMb, usedMb * percent / 100.0);
    }

    /** The lowest safe limit for {@code usedMb}, whole MiB rounded up. */
    public long floorMb(double usedMb) {
        return (long) Math.ceil(usedMb + headroomMb(usedMb) - 1e-9);
    }
}
