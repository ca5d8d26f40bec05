package io.lxcautoscale.common.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original wrote naive local times ({@code datetime.now().isoformat()}): they are read in the
 * host's zone, injected here. Expected epochs are worked out by hand: 2026-08-18 is day 20683 since
 * 1970-01-01 (20683 × 86400 = 1787011200), then the UTC time of day is added.
 */
class NaiveTimestampZoneTest {
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
            // CEST (+02:00): 11:07:56 UTC = 1787011200 + 40076
            "2026-08-18T13:07:56,          Europe/Berlin, 1787051276",
            // the fraction is dropped, a space separates date and time (Python's str(datetime))
            "2026-08-18 13:07:56.999999,   Europe/Berlin, 1787051276",
            "2026-08-18T13:07:56.5,        Europe/Berlin, 1787051276",
            // IST (+05:30): 07:37:56 UTC = 1787011200 + 27476
            "2026-08-18T13:07:56,          Asia/Kolkata,  1787038676",
            // an explicit offset wins over the zone: 13:07:56 UTC = 1787011200 + 47276
            "2026-08-18T13:07:56+00:00,    Europe/Berlin, 1787058476",
            "2026-08-18T13:07:56Z,         Asia/Kolkata,  1787058476",
            // CET (+01:00) in January: 2026-01-15 is day 20468; 09:00 UTC = 20468 × 86400 + 32400
            "2026-01-15T10:00:00,          Europe/Berlin, 1768467600",
            // 02:30 on 29 March does not exist (clocks jump 02:00 → 03:00): shifted by the gap,
            // 03:30+02:00 = 01:30 UTC; day 20541 × 86400 + 5400
            "2026-03-29T02:30:00,          Europe/Berlin, 1774747800",
            // 02:30 on 25 October happens twice: the earlier (+02:00) = 00:30 UTC; day 20751 × 86400 + 1800
            "2026-10-25T02:30:00,          Europe/Berlin, 1792888200",
            "2026-08-18T13:07:56,          UTC,           1787058476",
    })
    void naiveTimesAreLocalTimeOfTheGivenZone(String text, String zone, long expectedEpochSecond) {
        ZoneId id = ZoneId.of(zone);
        assertThat(MetricTime.parse(text, id).getEpochSecond()).isEqualTo(expectedEpochSecond);
        assertThat(new EpochSecondParser(id).parse(text)).isEqualTo(expectedEpochSecond);
    }
}
