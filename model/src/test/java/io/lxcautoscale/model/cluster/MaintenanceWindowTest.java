package io.lxcautoscale.model.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    private static MaintenanceWindow window(String text) {
        return MaintenanceWindow.parse(text).orElseThrow();
    }

    @Test
    void readsStartAndEnd() {
        MaintenanceWindow w = window("02:00-04:30");
        assertThat(w.start()).isEqualTo(LocalTime.of(2, 0));
        assertThat(w.end()).isEqualTo(LocalTime.of(4, 30));
        assertThat(w.crossesMidnight()).isFalse();
        assertThat(window(" 23:15-00:45 ").crossesMidnight()).isTrue();
    }

    @Test
    void rejectsOtherShapesAndAnEmptyWindow() {
        assertThat(MaintenanceWindow.parse("02:00-02:00")).isEmpty();
        assertThat(MaintenanceWindow.parse("2:00-04:00")).isEmpty();
        assertThat(MaintenanceWindow.parse("24:00-04:00")).isEmpty();
        assertThat(MaintenanceWindow.parse("02:60-04:00")).isEmpty();
        assertThat(MaintenanceWindow.parse("02:00 04:00")).isEmpty();
        assertThat(MaintenanceWindow.parse("")).isEmpty();
        assertThat(MaintenanceWindow.parse(null)).isEmpty();
    }

    @Test
    void insideFromTheStartIncludedToTheEndExcluded() {
        MaintenanceWindow w = window("02:00-04:00");
        assertThat(w.contains(LocalTime.of(1, 59, 59))).isFalse();
        assertThat(w.contains(LocalTime.of(2, 0))).isTrue();
        assertThat(w.contains(LocalTime.of(3, 30))).isTrue();
        assertThat(w.contains(LocalTime.of(3, 59, 59))).isTrue();
        assertThat(w.contains(LocalTime.of(4, 0))).isFalse();
        assertThat(w.contains(LocalTime.of(23, 0))).isFalse();
    }

    @Test
    void aWindowAcrossMidnightHoldsBothEnds() {
        MaintenanceWindow w = window("23:00-01:00");
        assertThat(w.contains(LocalTime.of(22, 59))).isFalse();
        assertThat(w.contains(LocalTime.of(23, 0))).isTrue();
        assertThat(w.contains(LocalTime.of(23, 59, 59))).isTrue();
        assertThat(w.contains(LocalTime.MIDNIGHT)).isTrue();
        assertThat(w.contains(LocalTime.of(0, 59))).isTrue();
        assertThat(w.contains(LocalTime.of(1, 0))).isFalse();
        assertThat(w.contains(LocalTime.NOON)).isFalse();
    }

    @Test
    void theWindowAcrossMidnightOpenedTheEveningBefore() {
        MaintenanceWindow w = window("23:00-01:00");
        // 23:30 on 5 December and 00:30 on 6 December are the same night's window, opened on 5 December
        assertThat(w.openedOn(LocalDateTime.of(2026, 12, 5, 23, 30))).contains(LocalDate.of(2026, 12, 5));
        assertThat(w.openedOn(LocalDateTime.of(2026, 12, 6, 0, 30))).contains(LocalDate.of(2026, 12, 5));
        assertThat(w.openedOn(LocalDateTime.of(2026, 12, 6, 23, 0))).contains(LocalDate.of(2026, 12, 6));
        assertThat(w.openedOn(LocalDateTime.of(2026, 12, 6, 12, 0))).isEqualTo(Optional.empty());
        assertThat(window("02:00-04:00").openedOn(LocalDateTime.of(2026, 12, 6, 2, 0))).contains(LocalDate.of(2026, 12, 6));
    }
}
