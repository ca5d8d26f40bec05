package io.lxcautoscale.api.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What the status page keeps about one container: its usage window, its newest sample's figures, its OOM kills
 * and the decisions journaled for it (the marks on its chart and the last few entries in full). Bounded: the
 * window has fixed arrays, marks and kills older than the window are dropped, entries are capped.
 */
final class ContainerRecord {
    /** A decision that proposed a change, as a mark on the chart. */
    record Mark(long epochSecond, String timestamp, String outcome, String cpuAction, String ramAction, int coresBefore,
                int coresAfter, long memoryMbBefore, long memoryMbAfter) {
    }

    /** An interval that saw OOM kills. */
    record OomKills(long epochSecond, String timestamp, long count) {
    }

    final UsageWindow window;
    final Deque<Mark> marks = new ArrayDeque<>();
    final Deque<OomKills> oomKills = new ArrayDeque<>();
    final Deque<JsonNode> entries = new ArrayDeque<>();
    private final int entriesKept;

    long sampleEpochSecond = Long.MIN_VALUE;
    String sampleTimestamp;
    String hostname;
    List<String> tags = List.of();
    double cpuUsed = Double.NaN;
    double cores = Double.NaN;
    double memoryUsedMb = Double.NaN;
    double memoryMb = Double.NaN;
    String lastOomKillAt;
    long entryEpochSecond = Long.MIN_VALUE;

    ContainerRecord(int slots, long bucketSeconds, int entriesKept) {
        this.window = new UsageWindow(slots, bucketSeconds);
        this.entriesKept = entriesKept;
    }

    void addEntry(JsonNode entry) {
        entries.addLast(entry);
        while (entries.size() > entriesKept) {
            entries.removeFirst();
        }
    }

    /** The newest journal entry, or null. */
    JsonNode latestEntry() {
        return entries.peekLast();
    }

    /** Drops marks and OOM kills from before {@code windowStart} (epoch seconds). */
    void prune(long windowStart) {
        while (!marks.isEmpty() && marks.peekFirst().epochSecond() < windowStart) {
            marks.removeFirst();
        }
        while (!oomKills.isEmpty() && oomKills.peekFirst().epochSecond() < windowStart) {
            oomKills.removeFirst();
        }
    }

    /** The newest time anything was seen for this container (sample or journal entry), epoch seconds. */
    long lastSeen() {
        return Math.max(sampleEpochSecond, entryEpochSecond);
    }
}
