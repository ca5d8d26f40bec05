package io.lxcautoscale.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fast reading of the writers' time shape agrees with the calendar, and declines every other shape. */
class StatusHistoryTimeTest {
    @Test
    void readsTheWritersShape() {
        // 2026-08-18 is day 20683 since 1970-01-01 (56 years, 14 of them leap: 20454 days, + 229 days into 2026)
        assertThat(StatusHistory.utcSecond("2026-08-18T13:07:56.123456+00:00")).isEqualTo(20683L * 86400 + 13 * 3600 + 7 * 60 + 56);
        assertThat(StatusHistory.utcSecond("1970-01-01T00:00:00.000000+00:00")).isEqualTo(0);
        // 2024-02-29 is day 19782
        assertThat(StatusHistory.utcSecond("2024-02-29T23:59:59.999999+00:00")).isEqualTo(19782L * 86400 + 86399);
    }

    @Test
    void declinesOtherShapes() {
        assertThat(StatusHistory.utcSecond("2026-08-18T13:07:56Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(StatusHistory.utcSecond("2026-08-18T13:07:56.123456+02:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(StatusHistory.utcSecond("2026-02-30T13:07:56.123456+00:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(StatusHistory.utcSecond("2026-08-18T24:07:56.123456+00:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(StatusHistory.utcSecond("2026-08-18T13:07:56.12345x+00:00")).isEqualTo(Long.MIN_VALUE);
    }
}
