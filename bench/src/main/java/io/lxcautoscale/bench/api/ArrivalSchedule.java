package io.lxcautoscale.bench.api;

/**
 * When each request of an open-loop run is due: a fixed rate, request {@code i} at {@code i × 10⁹ / rate}
 * nanoseconds after the start (integer division, so the schedule never drifts).
 */
final class ArrivalSchedule {
    private ArrivalSchedule() {
    }

    /** The send offsets in nanoseconds of {@code ratePerSecond × seconds} requests. */
    static long[] offsets(int ratePerSecond, int seconds) {
        if (ratePerSecond <= 0 || seconds <= 0) {
            throw new IllegalArgumentException("rate and duration must be positive: " + ratePerSecond + "/s for " + seconds + " s");
        }
        long[] offsets = new long[Math.multiplyExact(ratePerSecond, seconds)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i * 1_000_000_000L / ratePerSecond;
        }
        return offsets;
    }
}
