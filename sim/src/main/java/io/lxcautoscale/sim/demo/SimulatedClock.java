package io.lxcautoscale.sim.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that moves only when {@link #advance} is called: the one time source of the demo's fast-forward
 * mode, read by the simulated node, the monitor's collector (timestamps and, through {@link #nanoTime()}, the
 * intervals of its rates) and the model (journal times, cooldowns, staleness).
 */
final class SimulatedClock extends Clock {
    private final Instant start;
    private volatile long elapsedNanos;

    SimulatedClock(Instant start) {
        this.start = start;
    }

    /** Moves the time forward; never backward. */
    void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a clock step must not be negative: " + step);
        }
        elapsedNanos += step.toNanos();
    }

    /** Nanoseconds since the start: the monotonic reading, as {@link System#nanoTime()} gives it in real time. */
    long nanoTime() {
        return elapsedNanos;
    }

    /** Whole simulated seconds since the start. */
    long elapsedSeconds() {
        return elapsedNanos / 1_000_000_000L;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(elapsedNanos);
    }

    @Override
    public long millis() {
        return start.toEpochMilli() + elapsedNanos / 1_000_000L;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the simulated clock is UTC only, not " + zone);
        }
        return this;
    }
}
