package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.testing.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Kills a real writer process with SIGKILL while it appends and rotates, then reads what it left. */
class WriterCrashTest {
    @TempDir
    Path dir;

    /** Child process: appends big numbered snapshots forever, rotating every few lines. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String padding = "x".repeat(64 * 1024);
        try (MetricsWriter writer = new MetricsWriter(file, 5L * 70 * 1024, 10_000, Duration.ofDays(1))) {
            for (int seq = 0; ; seq++) {
                ObjectNode s = MetricsRoundTripTest.snapshot(seq);
                s.with("104").put("padding", padding);
                writer.append(s);
            }
        }
    }

    @Test
    void aWriterKilledAtAnyInstantLeavesFilesThatReadBackWithoutLossOrDuplicates() throws Exception {
        Path file = dir.resolve("m.json");
        Process child = new ProcessBuilder(DaemonProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"),
                WriterCrashTest.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(RotatedFiles.rotated(file, 5)) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            child.waitFor();
        }
        assertThat(RotatedFiles.rotated(file, 5)).as("child log: %s", Files.readString(dir.resolve("child.log")))
                .exists();

        List<Integer> seqs = new ArrayList<>();
        try (MetricsReader reader = new MetricsReader(file)) {
            reader.poll(s -> seqs.add(s.summary().get("seq").asInt()));
            // At most the line being written at the kill is torn; the live file keeps it unconsumed.
            assertThat(reader.corruptLines()).isZero();
            // five rotations of five 70 KiB snapshots each happened before the kill
            assertThat(seqs).hasSizeGreaterThanOrEqualTo(25);
            for (int i = 0; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).as("snapshot #%d", i).isEqualTo(i);
            }
            // A restarted writer isolates a torn line, if any, and its lines are read on.
            try (MetricsWriter writer = new MetricsWriter(file, 1 << 30, 10_000, null)) {
                writer.append(MetricsRoundTripTest.snapshot(1_000_000));
            }
            List<Integer> after = new ArrayList<>();
            reader.poll(s -> after.add(s.summary().get("seq").asInt()));
            assertThat(reader.corruptLines()).isLessThanOrEqualTo(1);
            assertThat(after).containsExactly(1_000_000);
        }
    }
}
