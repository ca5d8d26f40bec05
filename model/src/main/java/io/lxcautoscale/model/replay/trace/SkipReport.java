package io.lxcautoscale.model.replay.trace;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rows and traces left out while loading, counted by reason, with the first place each reason was
 * seen so that an admin can look at the offending row.
 */
public final class SkipReport {
    /** Reason for a trace shorter than one day at 300 s. */
    public static final String TOO_SHORT = "fewer than 288 steps";

    private final Map<String, Long> rowReasons = new TreeMap<>();
    private final Map<String, Long> traceReasons = new TreeMap<>();
    private final Map<String, String> firstSeen = new TreeMap<>();
    private long rows;
    private long traces;

    /** Counts one skipped row; {@code where} names file and line (or snapshot) for the first occurrence. */
    public synchronized void row(String reason, String where) {
        rows++;
        rowReasons.merge(reason, 1L, Long::sum);
        firstSeen.putIfAbsent("row: " + reason, where);
    }

    /** Counts one skipped trace. */
    public synchronized void trace(String reason, String where) {
        traces++;
        traceReasons.merge(reason, 1L, Long::sum);
        firstSeen.putIfAbsent("trace: " + reason, where);
    }

    /** Adds another report's counts to this one. */
    public synchronized void addAll(SkipReport other) {
        synchronized (other) {
            rows += other.rows;
            traces += other.traces;
            other.rowReasons.forEach((k, v) -> rowReasons.merge(k, v, Long::sum));
            other.traceReasons.forEach((k, v) -> traceReasons.merge(k, v, Long::sum));
            other.firstSeen.forEach(firstSeen::putIfAbsent);
        }
    }

    public synchronized long rows() {
        return rows;
    }

    public synchronized long traces() {
        return traces;
    }

    /** Skipped rows by reason. */
    public synchronized Map<String, Long> rowReasons() {
        return Map.copyOf(rowReasons);
    }

    /** Skipped traces by reason. */
    public synchronized Map<String, Long> traceReasons() {
        return Map.copyOf(traceReasons);
    }

    /** "row: reason" / "trace: reason" → where it was first seen. */
    public synchronized Map<String, String> firstSeen() {
        return new TreeMap<>(firstSeen);
    }
}
