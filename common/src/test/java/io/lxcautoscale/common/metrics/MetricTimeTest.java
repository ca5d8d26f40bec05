package io.lxcautoscale.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricTimeTest {
    @Test
    void formatsUtcWithSixFractionDigitsAndExplicitOffset() {
        assertThat(MetricTime.format(Instant.parse("2026-08-18T13:07:56.123456789Z")))
                .isEqualTo("2026-08-18T13:07:56.123456+00:00");
        assertThat(MetricTime.format(Instant.parse("2026-08-18T13:07:56Z")))
                .isEqualTo("2026-08-18T13:07:56.000000+00:00");
    }

    @Test
    void formatThenParseGivesTheSameMicrosecond() {
        Instant t = Instant.parse("2031-01-02T03:04:05.678901Z");
        assertThat(MetricTime.parse(MetricTime.format(t))).isEqualTo(t);
    }

    @ParameterizedTest
    @CsvSource({
            "2026-08-18T13:07:56.123456+00:00, 2026-08-18T13:07:56.123456Z",
            "2026-08-18T13:07:56.123456Z,      2026-08-18T13:07:56.123456Z",
            "2026-08-18T13:07:56z,             2026-08-18T13:07:56Z",
            "2026-08-18T13:07:56+00:00,        2026-08-18T13:07:56Z",
            "2026-08-18T13:07:56.1+00:00,      2026-08-18T13:07:56.100Z",
            "2026-08-18T13:07:56.123456789Z,   2026-08-18T13:07:56.123456789Z",
            "2026-08-18T13:07:56.123456,       2026-08-18T13:07:56.123456Z",
            "2026-08-18T13:07:56,              2026-08-18T13:07:56Z",
            "2026-08-18 13:07:56.5,            2026-08-18T13:07:56.500Z",
            "2026-08-18T15:07:56.123456+02:00, 2026-08-18T13:07:56.123456Z",
            "2026-08-18T08:37:56-0430,         2026-08-18T13:07:56Z",
            "2026-08-18T13:07Z,                2026-08-18T13:07:00Z",
    })
    void acceptsTheVariantsOtherWritersProduce(String text, String expected) {
        // the offset-less ones are local time of the zone given, here UTC
        assertThat(MetricTime.parse(text, ZoneOffset.UTC)).isEqualTo(Instant.parse(expected));
        assertThat(new EpochSecondParser(ZoneOffset.UTC).parse(text)).isEqualTo(Instant.parse(expected).getEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2026-08-18", "2026-13-18T13:07:56Z", "2026-02-30T13:07:56Z",
            "2026-08-18T25:07:56Z", "2026-08-18T13:07:56.1234567890Z", "2026-08-18T13:07:56+25:00",
            "1755522476", "2026-08-18T13:07:56Z trailing", "2026-08-1813:07:56", "2026-08-18  13:07:56"})
    void rejectsWhatIsNotATimestamp(String text) {
        assertThatThrownBy(() -> MetricTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> new EpochSecondParser(ZoneOffset.UTC).parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
