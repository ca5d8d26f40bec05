package io.lxcautoscale.model.replay.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitbrainsLoaderTest {
    static final String HEADER = "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\t"
            + "CPU usage [%];\tMemory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\t"
            + "Disk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]";

    static String row(long t, int cores, double capMhz, double usageMhz, double memCapKb, double memKb) {
        return String.format(Locale.ROOT, "%d;\t%d;\t%s;\t%s;\t%.1f;\t%s;\t%s;\t0.0;\t0.0;\t0.0;\t0.0", t, cores,
                capMhz, usageMhz, capMhz > 0 ? usageMhz / capMhz * 100 : 0, memCapKb, memKb);
    }

    /** 300 good rows, with bad rows of each kind mixed in. */
    static String sample() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        long t0 = 1_372_629_804L;
        for (int i = 0; i < 300; i++) {
            long t = t0 + 300L * i;
            // 2 cores of 2600 MHz: 1300 MHz used = 1 core; memory 2 GiB provisioned, 512 MiB used
            sb.append(row(t, 2, 5200.0, 1300.0 + i, 2_097_152.0, 524_288.0)).append('\n');
            if (i == 10) {
                sb.append(row(t + 1, 0, 0.0, 0.0, 0.0, 0.0)).append('\n');          // zero cores
                sb.append(row(t, 2, 5200.0, 99.0, 2_097_152.0, 1.0)).append('\n');   // same timestamp
                sb.append("1372633000;\t2;\tnot-a-number").append('\n');             // malformed
                sb.append(row(t + 2, 2, 5200.0, Double.NaN, 2_097_152.0, 1.0)).append('\n'); // NaN
            }
        }
        return sb.toString();
    }

    @Test
    void parsesDemandAndProvisionedSizeAndCountsSkippedRows() throws IOException {
        SkipReport skips = new SkipReport();
        Trace t = BitbrainsLoader.parse("vm1", "vm1.csv.gz", new BufferedReader(new StringReader(sample())), skips);

        assertThat(t).isNotNull();
        assertThat(t.steps()).isEqualTo(300);
        assertThat(t.stepSeconds()).isEqualTo(300);
        assertThat(t.provisionedCores()).isEqualTo(2);
        assertThat(t.provisionedMemoryMb()).isEqualTo(2048);
        // usage MHz / (capacity MHz / cores) = 1300 / 2600
        assertThat(t.cpuDemandCores()[0]).isEqualTo(0.5);
        assertThat(t.cpuDemandCores()[1]).isEqualTo(1301.0 / 2600.0);
        assertThat(t.memoryDemandMb()[0]).isEqualTo(512.0);
        assertThat(t.timestampsSeconds()[11] - t.timestampsSeconds()[10]).isEqualTo(300);
        assertThat(skips.rows()).isEqualTo(4);
        assertThat(skips.rowReasons()).containsEntry("non-positive core count", 1L)
                .containsEntry("timestamp does not advance", 1L)
                .containsEntry("malformed row", 1L)
                .containsEntry("non-finite or negative value", 1L);
        assertThat(skips.firstSeen().get("row: malformed row")).isEqualTo("vm1.csv.gz:15");
    }

    @Test
    void traceShorterThanOneDayIsSkippedWithItsReason() throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 287; i++) {
            sb.append(row(1000L + 300L * i, 1, 2600.0, 100.0, 1_048_576.0, 1000.0)).append('\n');
        }
        SkipReport skips = new SkipReport();
        assertThat(BitbrainsLoader.parse("vm2", "vm2.csv", new BufferedReader(new StringReader(sb.toString())), skips))
                .isNull();
        assertThat(skips.traces()).isEqualTo(1);
        assertThat(skips.traceReasons()).containsEntry(SkipReport.TOO_SHORT, 1L);
    }

    @Test
    void readsGzipFilesFromADirectoryAndRejectsAForeignHeader(@TempDir Path dir) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("vm7.csv.gz")))) {
            out.write(sample().getBytes(StandardCharsets.US_ASCII));
        }
        SkipReport skips = new SkipReport();
        Trace t = BitbrainsLoader.load(dir.resolve("vm7.csv.gz"), skips);
        assertThat(t.name()).isEqualTo("vm7");
        assertThat(t.steps()).isEqualTo(300);

        Files.writeString(dir.resolve("other.csv"), "a;b;c\n1;2;3\n");
        assertThatThrownBy(() -> BitbrainsLoader.load(dir.resolve("other.csv"), new SkipReport()))
                .hasMessageContaining("other.csv").hasMessageContaining("header");
    }
}
