package io.lxcautoscale.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parts of the open-loop API benchmark that do not measure time: schedule, percentiles, /proc and header parsing. */
class OpenLoopPartsTest {
    @Test
    void theScheduleSpacesRequestsEvenlyWithoutDrift() {
        // 10^9 / 3 = 333,333,333.3 ns: truncated per request, never accumulated
        assertThat(ArrivalSchedule.offsets(3, 1)).containsExactly(0L, 333_333_333L, 666_666_666L);
        long[] twoHundred = ArrivalSchedule.offsets(200, 2);
        assertThat(twoHundred).hasSize(400);
        assertThat(twoHundred[1]).isEqualTo(5_000_000L);
        assertThat(twoHundred[399]).isEqualTo(1_995_000_000L);
        // 6 × 10^9 / 7 = 857,142,857.14
        assertThat(ArrivalSchedule.offsets(7, 1)[6]).isEqualTo(857_142_857L);
        assertThatThrownBy(() -> ArrivalSchedule.offsets(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentilesAreNearestRank() {
        // the worked examples of the nearest-rank method (Wikipedia, "Percentile")
        Percentiles five = new Percentiles(new long[] {50, 15, 40, 20, 35});
        assertThat(five.at(5)).isEqualTo(15);
        assertThat(five.at(30)).isEqualTo(20);
        assertThat(five.at(40)).isEqualTo(20);
        assertThat(five.at(50)).isEqualTo(35);
        assertThat(five.at(100)).isEqualTo(50);
        Percentiles ten = new Percentiles(new long[] {20, 16, 15, 13, 10, 8, 8, 7, 6, 3});
        assertThat(ten.at(25)).isEqualTo(7);
        assertThat(ten.at(50)).isEqualTo(8);
        assertThat(ten.at(75)).isEqualTo(15);
        assertThat(ten.max()).isEqualTo(20);
        Percentiles eleven = new Percentiles(new long[] {3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20});
        assertThat(eleven.at(50)).isEqualTo(9);
        // 1..1000: the p-th percentile of the first thousand integers is 10 p
        long[] thousand = new long[1000];
        for (int i = 0; i < thousand.length; i++) {
            thousand[i] = thousand.length - i;
        }
        Percentiles t = new Percentiles(thousand);
        assertThat(t.at(50)).isEqualTo(500);
        assertThat(t.at(90)).isEqualTo(900);
        assertThat(t.at(99)).isEqualTo(990);
        assertThat(t.at(99.9)).isEqualTo(999);
        assertThat(t.count()).isEqualTo(1000);
        assertThatThrownBy(() -> t.at(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void procStatFieldsCountFromTheLastParenthesisOfTheCommandName() {
        // fields 14-17 are utime 11, stime 22, cutime 33, cstime 44; the name holds ") S" to mislead a naive split
        String stat = "4242 (java) S 1 (x) S 1 4242 4242 0 -1 4194304 5000 0 7 0 11 22 33 44 20 0 30 0 123456 4000000 1000\n";
        ProcessCpu cpu = ProcessCpu.parse(stat);
        assertThat(cpu.ownTicks()).isEqualTo(33);
        assertThat(cpu.childTicks()).isEqualTo(77);
        // 50 ticks of 10 ms in 1 s is half a core; 300 ticks in 2 s is one and a half
        assertThat(ProcessCpu.percentOfCore(50, 1_000_000_000L)).isEqualTo(50.0);
        assertThat(ProcessCpu.percentOfCore(300, 2_000_000_000L)).isEqualTo(150.0);
    }

    @Test
    void serverTimingEntriesAreReadInNanoseconds() {
        String header = "pct;dur=1.5, app;dur=2.25";
        assertThat(ServerTiming.nanos(header, "pct")).isEqualTo(1_500_000L);
        assertThat(ServerTiming.nanos(header, "app")).isEqualTo(2_250_000L);
        assertThat(ServerTiming.nanos(header, "db")).isEqualTo(-1);
        assertThat(ServerTiming.nanos(null, "app")).isEqualTo(-1);
    }
}
