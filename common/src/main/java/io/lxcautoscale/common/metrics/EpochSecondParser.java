package io.lxcautoscale.common.metrics;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneRules;
import java.util.Objects;

/**
 * Reads a metrics-file timestamp straight from characters into epoch seconds (the fraction is
 * dropped), with the meaning of {@link MetricTime#parse(String, ZoneId)}: the common shapes
 * ({@code uuuu-MM-ddTHH:mm:ss}, optional fraction, {@code Z}/{@code ±HH:MM}/none) without building
 * strings or {@code java.time} objects per call, anything else through {@link MetricTime}.
 *
 * <p>A timestamp without offset is local time in the zone given at construction. Its offset is
 * looked up once per local minute (daylight-saving changes fall on whole minutes) and resolved as
 * {@link java.time.ZonedDateTime#of} resolves it. Not thread-safe: it caches the last day and minute.
 */
public final class EpochSecondParser {
    private final ZoneId zone;
    private final ZoneRules rules;
    private final int fixedOffsetSeconds;
    private final boolean fixed;
    private int cachedDate = -1;
    private long cachedEpochDay;
    private long cachedLocalMinute = Long.MIN_VALUE;
    private int cachedMinuteOffset;

    /** Local (offset-less) timestamps are read in {@code zone}. */
    public EpochSecondParser(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        this.fixedOffsetSeconds = fixed ? rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds() : 0;
    }

    /** The zone offset-less timestamps are read in. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The epoch second of the timestamp in {@code text[offset, offset + length)}.
     *
     * @throws DateTimeParseException if it is not a timestamp {@link MetricTime#parse} accepts
     */
    public long parse(char[] text, int offset, int length) {
        long fast = fastPath(text, offset, length);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        return MetricTime.parse(new String(text, offset, length), zone).getEpochSecond();
    }

    /** As {@link #parse(char[], int, int)}. */
    public long parse(String text) {
        return parse(text.toCharArray(), 0, text.length());
    }

    /** The epoch second, or Long.MIN_VALUE when the text is not in one of the common shapes. */
    private long fastPath(char[] c, int o, int n) {
        if (n < 19 || c[o + 4] != '-' || c[o + 7] != '-' || (c[o + 10] != 'T' && c[o + 10] != 't')
                || c[o + 13] != ':' || c[o + 16] != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(c, o, 4);
        int month = digits(c, o + 5, 2);
        int day = digits(c, o + 8, 2);
        int hour = digits(c, o + 11, 2);
        int minute = digits(c, o + 14, 2);
        int second = digits(c, o + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        int i = o + 19;
        int end = o + n;
        if (i < end && c[i] == '.') {
            int fractionStart = ++i;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                i++;
            }
            int fractionDigits = i - fractionStart;
            if (fractionDigits == 0 || fractionDigits > 9) {
                return Long.MIN_VALUE;
            }
        }
        long epochDay = epochDay(year, month, day);
        if (epochDay == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long local = epochDay * 86_400 + hour * 3600 + minute * 60 + second;
        if (i == end) {
            return local - localOffset(epochDay, hour, minute);
        }
        char sign = c[i];
        if ((sign == 'Z' || sign == 'z') && i + 1 == end) {
            return local;
        }
        if ((sign == '+' || sign == '-') && i + 6 == end && c[i + 3] == ':') {
            int offsetHours = digits(c, i + 1, 2);
            int offsetMinutes = digits(c, i + 4, 2);
            if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59 || offsetHours > 18
                    || (offsetHours == 18 && offsetMinutes > 0)) {
                return Long.MIN_VALUE;
            }
            int offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
            return sign == '+' ? local - offsetSeconds : local + offsetSeconds;
        }
        return Long.MIN_VALUE;
    }

    private long epochDay(int year, int month, int day) {
        int date = year * 10_000 + month * 100 + day;
        if (date != cachedDate) {
            try {
                cachedEpochDay = LocalDate.of(year, month, day).toEpochDay();
            } catch (DateTimeException e) {
                return Long.MIN_VALUE; // e.g. 30 February: the slow path reports it
            }
            cachedDate = date;
        }
        return cachedEpochDay;
    }

    private int localOffset(long epochDay, int hour, int minute) {
        if (fixed) {
            return fixedOffsetSeconds;
        }
        long localMinute = epochDay * 1440 + hour * 60 + minute;
        if (localMinute != cachedLocalMinute) {
            LocalDateTime at = LocalDate.ofEpochDay(epochDay).atTime(hour, minute);
            // in a gap the offset before it (= shifting by the gap), in an overlap the earlier one
            cachedMinuteOffset = rules.getOffset(at).getTotalSeconds();
            cachedLocalMinute = localMinute;
        }
        return cachedMinuteOffset;
    }

    private static int digits(char[] c, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = c[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
