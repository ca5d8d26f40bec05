package io.lxcautoscale.model.replay.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PlanetLabLoaderTest {
    static String day(int bad) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 288; i++) {
            sb.append(i == bad ? "x" : Integer.toString(i % 100)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void percentOfTwoCoresEveryFiveMinutesFromTheDateInTheDirectoryName(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("planetlab-20110303"));
        Files.writeString(dir.resolve("node_a_slice"), day(-1));
        SkipReport skips = new SkipReport();
        Trace t = PlanetLabLoader.load(dir.resolve("node_a_slice"), skips);

        assertThat(t.steps()).isEqualTo(288);
        assertThat(t.hasMemory()).isFalse();
        assertThat(t.provisionedCores()).isEqualTo(2);
        assertThat(t.cpuDemandCores()[50]).isEqualTo(1.0);   // 50 % of 2 cores
        assertThat(t.cpuDemandCores()[99]).isEqualTo(1.98);
        assertThat(t.timestampsSeconds()[0]).isEqualTo(1_299_110_400L); // 2011-03-03T00:00:00Z
        assertThat(t.timestampsSeconds()[1] - t.timestampsSeconds()[0]).isEqualTo(300);
        assertThat(skips.rows()).isZero();
    }

    @Test
    void aBadLineIsSkippedAndThenTheDayIsTooShort() throws IOException {
        SkipReport skips = new SkipReport();
        assertThat(PlanetLabLoader.parse("n", 0, new BufferedReader(new StringReader(day(7))), skips)).isNull();
        assertThat(skips.rowReasons()).containsEntry("malformed row", 1L);
        assertThat(skips.firstSeen().get("row: malformed row")).isEqualTo("n:8");
        assertThat(skips.traceReasons()).containsEntry(SkipReport.TOO_SHORT, 1L);
        assertThat(PlanetLabLoader.startSeconds("traces")).isZero();
    }
}
