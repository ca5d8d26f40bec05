package io.lxcautoscale.model.policy;

import java.util.Locale;

/**
 * The memory risk knob ({@code scaling.memory_risk}): how much of a container's memory history its
 * allocation must cover, which trades memory slack against the risk of an OOM kill. One preset sets the
 * three parts of the memory estimate together, so the knob moves along one line (the replay's frontier,
 * docs/benchmarks.md):
 *
 * <ul>
 *   <li>{@code windowHours}: the allocation covers the peak of used memory over this many hours;</li>
 *   <li>{@code dailyLookahead}: … and the peak seen on previous days just after this time of day
 *       ({@code daily_lookahead_minutes}), so a daily peak is met before it arrives;</li>
 *   <li>{@code marginFraction}: … plus this margin.</li>
 * </ul>
 *
 * Lower risk = more memory held in reserve. {@code low} is the shipped default.
 */
public enum MemoryRisk {
    LOWEST(168, true, 0.30),
    LOW(24, true, 0.10),
    MEDIUM(24, false, 0.15),
    HIGH(6, false, 0.15),
    HIGHEST(3, false, 0.10);

    private final int windowHours;
    private final boolean dailyLookahead;
    private final double marginFraction;

    MemoryRisk(int windowHours, boolean dailyLookahead, double marginFraction) {
        this.windowHours = windowHours;
        this.dailyLookahead = dailyLookahead;
        this.marginFraction = marginFraction;
    }

    public int windowHours() {
        return windowHours;
    }

    public boolean dailyLookahead() {
        return dailyLookahead;
    }

    public double marginFraction() {
        return marginFraction;
    }

    /** The window in policy steps of {@code stepSeconds}, at least one. */
    public int windowSteps(int stepSeconds) {
        return (int) Math.max(1, (long) windowHours * 3600 / stepSeconds);
    }

    /** The configuration value, e.g. {@code low}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The preset named {@code key} (case-insensitive), or null. */
    public static MemoryRisk of(String key) {
        for (MemoryRisk r : values()) {
            if (r.key().equalsIgnoreCase(key == null ? "" : key.trim())) {
                return r;
            }
        }
        return null;
    }
}
