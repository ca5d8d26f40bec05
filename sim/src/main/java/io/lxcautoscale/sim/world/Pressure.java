package io.lxcautoscale.sim.world;

import java.util.Locale;

/** One pressure-stall line ({@code some} or {@code full}): the kernel's 10/60/300 s running averages and the µs total. */
final class Pressure {
    private double avg10;
    private double avg60;
    private double avg300;
    private double totalUsec;

    /** Advances by {@code dt} seconds during which {@code percent} % of the time was stalled. */
    void advance(double percent, double dt) {
        double p = Math.max(0, Math.min(100, percent));
        avg10 += (1 - Math.exp(-dt / 10)) * (p - avg10);
        avg60 += (1 - Math.exp(-dt / 60)) * (p - avg60);
        avg300 += (1 - Math.exp(-dt / 300)) * (p - avg300);
        totalUsec += p / 100 * dt * 1e6;
    }

    double avg10() {
        return avg10;
    }

    String line(String kind) {
        return String.format(Locale.ROOT, "%s avg10=%.2f avg60=%.2f avg300=%.2f total=%d", kind, avg10, avg60, avg300, (long) totalUsec);
    }
}
