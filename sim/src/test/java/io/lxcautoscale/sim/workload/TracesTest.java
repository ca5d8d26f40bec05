package io.lxcautoscale.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesTest {
    static final String HEADER = "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\t"
            + "Memory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\tDisk write throughput [KB/s];\t"
            + "Network received throughput [KB/s];\tNetwork transmitted throughput [KB/s]";

    @Test
    void bitbrainsRowsAreCleanedAsTheReadmeSays(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("vm1.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((HEADER + "\n"
                    + "1372629804;\t2;\t5851.99;\t2925.99;\t50.0;\t2097152.0;\t1048576.0;\t1.0;\t2.0;\t3.0;\t4.0\n"
                    + "1372630104;\t0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0\n"
                    + "1372630404;\t2;\t5851.99;\t1000.0;\t17.0;\t2097152.0;\t1.6345088E7;\t0.0;\t0.0;\t0.0;\t0.0\n"
                    + "1372630404;\t2;\t5851.99;\t5851.99;\t100.0;\t2097152.0;\t524288.0;\t0.0;\t0.0;\t0.0;\t0.0\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        List<TraceSample> samples = Traces.load(file, 1);
        assertThat(samples).hasSize(2); // zero-core row dropped, duplicate timestamp keeps the last row
        assertThat(samples.get(0).cpuCores()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(samples.get(0).memoryBytes()).isEqualTo(1024.0 * 1024 * 1024);
        assertThat(samples.get(1).cpuCores()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(samples.get(0).txKbPerSecond()).isEqualTo(4.0);
    }

    @Test
    void aTraceWithTheWrongHeaderNamesTheFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.csv");
        Files.writeString(file, "time,cpu\n1,2\n");
        assertThatThrownBy(() -> Traces.load(file, 1)).hasMessageContaining("bad.csv").hasMessageContaining("not a Bitbrains trace");
    }

    @Test
    void planetLabPercentBecomesCores(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("node_slice");
        Files.writeString(file, "10\n50\n99\n");
        List<TraceSample> s = Traces.load(file, 2);
        assertThat(s).extracting(TraceSample::cpuCores).containsExactly(0.2, 1.0, 1.98);
        assertThat(s.get(1).epochSeconds()).isEqualTo(300);
        assertThat(s.get(0).memoryBytes()).isNegative();
    }

    /** The sample bundled in the repository's traces/ (traces/README.md) loads with the same code. */
    @Test
    void bundledTracesLoad() {
        Path dir = Path.of("../traces").toAbsolutePath().normalize();
        // vm5: 8,262 data rows, all with 1 core and distinct timestamps (zcat | wc -l gives 8,263 with the header)
        List<TraceSample> bitbrains = Traces.load(dir.resolve("bitbrains-rnd-2013-7/vm5.csv.gz"), 1);
        assertThat(bitbrains).hasSize(8_262);
        assertThat(bitbrains.get(0).epochSeconds()).isEqualTo(1_372_629_804L); // 2013-06-30 22:03:24 UTC
        assertThat(bitbrains).allSatisfy(s -> assertThat(s.cpuCores()).isBetween(0.0, 1.2));
        // vm45: its first 1,267 of 8,251 rows report 0 cores and are dropped
        assertThat(Traces.load(dir.resolve("bitbrains-rnd-2013-7/vm45.csv.gz"), 1)).hasSize(8_251 - 1_267);
        // one day of PlanetLab at 300 s; the first line of this file is 30 (percent of 1 core)
        List<TraceSample> planetlab = Traces.load(dir.resolve("planetlab-20110303/planetlab2_aston_ac_uk_root"), 1);
        assertThat(planetlab).hasSize(288);
        assertThat(planetlab.get(0).cpuCores()).isEqualTo(0.30);
    }

    @Test
    void replayInterpolatesAndLoops() {
        List<TraceSample> samples = List.of(new TraceSample(0, 1.0, 100 << 20, -1, -1, -1, -1),
                new TraceSample(300, 3.0, 300 << 20, -1, -1, -1, -1));
        Workload w = new Workload.TraceReplay("t", samples, 10, 0, 1, 1, new Profile(50, 0, 0, 0, 0, 0, 5, 0, 1));
        assertThat(w.demand(5).cpuCores()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(w.demand(5).anonBytes()).isEqualTo(200L << 20);
        assertThat(w.demand(20).cpuCores()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9)); // looped
    }

    @Test
    void workloadsAreDeterministicForASeed() {
        Profile p = new Profile(100, 10, 1, 1, 1, 1, 5, 0.1, 7);
        Workload.Bursty a = new Workload.Bursty(0.2, 3, 100, 60, 30, p);
        Workload.Bursty b = new Workload.Bursty(0.2, 3, 100, 60, 30, p);
        int bursts = 0;
        for (int t = 0; t < 36_000; t += 60) {
            assertThat(a.demand(t)).isEqualTo(b.demand(t));
            bursts += a.inBurst(t) ? 1 : 0;
        }
        assertThat(bursts).isBetween(200, 400); // 30 per hour over 10 hours
    }
}
