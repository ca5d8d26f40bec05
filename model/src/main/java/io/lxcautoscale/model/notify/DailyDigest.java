package io.lxcautoscale.model.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts every event (sent or held back) and, once a day at {@code digest_hour_utc}, makes one summary
 * message of what happened since the previous digest.
 */
final class DailyDigest {
    private final int hourUtc;
    private final Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
    private final Map<EventType, TreeSet<String>> containers = new EnumMap<>(EventType.class);
    private Instant since;
    private Instant next;

    DailyDigest(int hourUtc) {
        this.hourUtc = hourUtc;
    }

    synchronized void count(Event e) {
        counts.merge(e.type(), 1, Integer::sum);
        if (e.vmid() != null) {
            containers.computeIfAbsent(e.type(), k -> new TreeSet<>()).add(e.vmid());
        }
    }

    /** The digest when one is due at {@code now}, else null. The first call only sets the schedule. */
    synchronized Message due(Instant now) {
        if (next == null) {
            since = now;
            next = nextAfter(now);
            return null;
        }
        if (now.isBefore(next)) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        body.append("Since ").append(since).append(":");
        if (counts.isEmpty()) {
            body.append(" no events.");
        }
        for (Map.Entry<EventType, Integer> c : counts.entrySet()) {
            body.append("\n- ").append(c.getValue()).append(" × ").append(c.getKey().title());
            TreeSet<String> cts = containers.get(c.getKey());
            if (cts != null) {
                body.append(" (containers ").append(String.join(", ", cts)).append(")");
            }
        }
        counts.clear();
        containers.clear();
        since = now;
        next = nextAfter(now);
        return new Message("digest", null, "lxc_autoscale_ml: daily digest", body.toString(), 2, List.of("calendar"), 0, now);
    }

    private Instant nextAfter(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC).withHour(hourUtc).withMinute(0).withSecond(0).withNano(0);
        Instant at = t.toInstant();
        return at.isAfter(now) ? at : at.plus(Duration.ofDays(1));
    }
}
