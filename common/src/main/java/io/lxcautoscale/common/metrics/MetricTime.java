package io.lxcautoscale.common.metrics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;

/**
 * The timestamp shape of the metrics file: written as {@code 2026-08-18T13:07:56.123456+00:00}
 * (UTC, always six fraction digits, explicit {@code +00:00}); read leniently. A timestamp without an
 * offset is the original's naive {@code datetime.now().isoformat()}, i.e. the wall clock of the host
 * that wrote it, so it is read in a time zone the caller gives (the host's by default).
 */
public final class MetricTime {
    private static final DateTimeFormatter WRITE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral("+00:00")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withZone(ZoneOffset.UTC);

    // Accepts what the original (Python isoformat(), naive or aware) and other tools write:
    // 'T' or ' ' separator, 0-9 fraction digits, Z / +hh:mm / +hhmm / +hh or no offset (= local time).
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm")
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMMss", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private MetricTime() {
    }

    /** Formats {@code t} in the file's canonical UTC shape (sub-microsecond digits are truncated). */
    public static String format(Instant t) {
        return WRITE.format(Objects.requireNonNull(t, "t"));
    }

    /**
     * Parses a file timestamp: {@code Z} or any offset, 0-9 fraction digits, or none; a timestamp
     * without offset (the original's naive {@code isoformat()}) is local time of the host's zone
     * ({@link ZoneId#systemDefault()}).
     *
     * @throws DateTimeParseException if {@code s} is not such a timestamp
     */
    public static Instant parse(String s) {
        return parse(s, ZoneId.systemDefault());
    }

    /**
     * As {@link #parse(String)}, a timestamp without offset being local time in {@code zone}; a local
     * time that a daylight-saving change skips or repeats resolves as {@link java.time.ZonedDateTime#of}
     * does (shifted by the gap; the earlier offset of an overlap).
     */
    public static Instant parse(String s, ZoneId zone) {
        Objects.requireNonNull(s, "s");
        Objects.requireNonNull(zone, "zone");
        String text = s.strip();
        if (text.length() > 10 && text.charAt(10) == ' ') {
            // Python's str(datetime) separates date and time by a space.
            text = text.substring(0, 10) + 'T' + text.substring(11);
        }
        TemporalAccessor parsed = READ.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        if (parsed instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((LocalDateTime) parsed).atZone(zone).toInstant();
    }
}
