package io.lxcautoscale.common.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryHeadroomTest {
    @Test
    void theMinimumWinsForSmallUseAndThePercentForLarge() {
        MemoryHeadroom h = new MemoryHeadroom(10, 64);
        assertThat(h.floorMb(300)).isEqualTo(364);    // 10 % = 30 < 64
        assertThat(h.floorMb(1000)).isEqualTo(1100);  // 10 % = 100 > 64
        assertThat(h.floorMb(1001)).isEqualTo(1102);  // 1001 + 100.1 = 1101.1, rounded up
        assertThat(h.floorMb(0)).isEqualTo(64);
    }

    @Test
    void negativeHeadroomIsRefused() {
        assertThatThrownBy(() -> new MemoryHeadroom(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryHeadroom(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
