package io.lxcautoscale.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void standsStillUntilAdvancedThenEveryReadingMovesByTheStep() throws Exception {
        SimulatedClock clock = new SimulatedClock(START);
        Thread.sleep(20); // wall time passing changes nothing
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.nanoTime()).isZero();

        clock.advance(Duration.ofMillis(1500));
        clock.advance(Duration.ofSeconds(2));
        // 1.5 s + 2 s = 3.5 s after 2026-01-01T00:00:00Z (epoch second 1767225600)
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:03.500Z"));
        assertThat(clock.millis()).isEqualTo(1_767_225_603_500L);
        assertThat(clock.nanoTime()).isEqualTo(3_500_000_000L);
        assertThat(clock.elapsedSeconds()).isEqualTo(3);
    }

    @Test
    void refusesToGoBackAndToChangeZone() {
        SimulatedClock clock = new SimulatedClock(START);
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.nanoTime()).isZero();
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
        assertThatThrownBy(() -> clock.withZone(ZoneId.of("Europe/Rome"))).isInstanceOf(UnsupportedOperationException.class);
    }
}
