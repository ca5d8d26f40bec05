package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.testing.CannotRunHere;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.lxcautoscale.common.metrics.MetricsRoundTripTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsWriterTest {
    @TempDir
    Path dir;

    /** The snapshots in this one file, not its rotated predecessors. */
    private static List<Integer> seqs(Path file) throws IOException {
        List<Integer> seqs = new ArrayList<>();
        try (MetricsReader reader = new MetricsReader(file, MetricsPosition.startOf(file))) {
            reader.poll(s -> seqs.add(s.summary().get("seq").asInt()));
            assertThat(reader.corruptLines()).isZero();
        }
        return seqs;
    }

    @Test
    void writesOneCompactNewlineTerminatedLinePerSnapshot() throws Exception {
        Path file = dir.resolve("m.json");
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            writer.append(snapshot(1));
            writer.append(snapshot(2));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(
                "{\"104\":{\"timestamp\":\"2026-08-18T13:07:56.123456+00:00\",\"cpu_usage_percent\":42.7,\"seq\":1},"
                        + "\"summary\":{\"collected_containers\":1,\"seq\":1}}");
        assertThat(Files.readString(file)).endsWith("}\n");
    }

    @Test
    void appendsToAnExistingFileWithoutTouchingItsContent() throws Exception {
        Path file = dir.resolve("m.json");
        String existing = snapshot(0).toString() + "\n";
        Files.writeString(file, existing);
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            writer.append(snapshot(1));
        }
        assertThat(Files.readString(file)).startsWith(existing);
        assertThat(seqs(file)).containsExactly(0, 1);
    }

    @Test
    void isolatesATornLastLineLeftByACrash() throws Exception {
        Path file = dir.resolve("m.json");
        String full = snapshot(0).toString();
        Files.writeString(file, full + "\n" + full.substring(0, 20));
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            writer.append(snapshot(1));
            writer.append(snapshot(2));
        }
        assertThat(Files.readAllLines(file)).hasSize(4).element(1).isEqualTo(full.substring(0, 20));
        List<Integer> seqs = new ArrayList<>();
        try (MetricsReader reader = new MetricsReader(file)) {
            reader.poll(s -> seqs.add(s.summary().get("seq").asInt()));
            assertThat(reader.corruptLines()).isEqualTo(1);
        }
        assertThat(seqs).containsExactly(0, 1, 2);
    }

    @Test
    void rotatesBySizeKeepingTheConfiguredNumberOfFiles() throws Exception {
        Path file = dir.resolve("m.json");
        int lineBytes = snapshot(10).toString().length() + 1;
        // Room for three lines per file.
        try (MetricsWriter writer = new MetricsWriter(file, 3L * lineBytes + 2, 2, null)) {
            for (int i = 10; i < 20; i++) {
                writer.append(snapshot(i));
            }
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(3L * lineBytes + 2);
        assertThat(seqs(file)).containsExactly(19);
        assertThat(seqs(RotatedFiles.rotated(file, 1))).containsExactly(16, 17, 18);
        assertThat(seqs(RotatedFiles.rotated(file, 2))).containsExactly(13, 14, 15);
        assertThat(RotatedFiles.rotated(file, 3)).doesNotExist();
    }

    @Test
    void withNoRotatedFilesKeptAFullFileIsDropped() throws Exception {
        Path file = dir.resolve("m.json");
        int lineBytes = snapshot(10).toString().length() + 1;
        try (MetricsWriter writer = new MetricsWriter(file, 2L * lineBytes, 0, null)) {
            for (int i = 10; i < 15; i++) {
                writer.append(snapshot(i));
            }
        }
        assertThat(seqs(file)).containsExactly(14);
        assertThat(RotatedFiles.indices(file)).isEmpty();
    }

    @Test
    void aLineBiggerThanTheLimitStillGoesIntoAFreshFile() throws Exception {
        Path file = dir.resolve("m.json");
        try (MetricsWriter writer = new MetricsWriter(file, 10, 3, null)) {
            writer.append(snapshot(1));
            writer.append(snapshot(2));
        }
        assertThat(seqs(file)).containsExactly(2);
        assertThat(seqs(RotatedFiles.rotated(file, 1))).containsExactly(1);
    }

    @Test
    void deletesRotatedFilesWhoseNewestLineIsOlderThanMaxAge() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(RotatedFiles.rotated(file, 1), snapshot(3).toString() + "\n");
        Files.writeString(RotatedFiles.rotated(file, 2), snapshot(2).toString() + "\n");
        Files.writeString(RotatedFiles.rotated(file, 3), snapshot(1).toString() + "\n");
        Instant now = Instant.now();
        Files.setLastModifiedTime(RotatedFiles.rotated(file, 1), FileTime.from(now.minus(Duration.ofHours(1))));
        Files.setLastModifiedTime(RotatedFiles.rotated(file, 2), FileTime.from(now.minus(Duration.ofDays(3))));
        Files.setLastModifiedTime(RotatedFiles.rotated(file, 3), FileTime.from(now.minus(Duration.ofDays(4))));
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 10, Duration.ofDays(2))) {
            // The first append checks ages even without a rotation.
            writer.append(snapshot(4));
        }
        assertThat(RotatedFiles.indices(file)).containsExactly(1);
        assertThat(seqs(file)).containsExactly(4);
    }

    @Test
    void maxAgeIsAlsoAppliedAtRotation() throws Exception {
        Path file = dir.resolve("m.json");
        int lineBytes = snapshot(10).toString().length() + 1;
        try (MetricsWriter writer = new MetricsWriter(file, lineBytes, 10, Duration.ofHours(1))) {
            writer.append(snapshot(10));
            writer.append(snapshot(11));
            assertThat(RotatedFiles.indices(file)).containsExactly(1);
            Files.setLastModifiedTime(RotatedFiles.rotated(file, 1),
                    FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            writer.append(snapshot(12)); // rotation: 11 → file.1, aged 10 (now file.2) deleted
        }
        assertThat(RotatedFiles.indices(file)).containsExactly(1);
        assertThat(seqs(RotatedFiles.rotated(file, 1))).containsExactly(11);
        assertThat(seqs(file)).containsExactly(12);
    }

    @Test
    void aMissingDirectoryFailsTheAppendUntilItExists() throws Exception {
        Path file = dir.resolve("later").resolve("m.json");
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, Duration.ofDays(1))) {
            assertThatThrownBy(() -> writer.append(snapshot(1)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
            Files.createDirectory(file.getParent());
            writer.append(snapshot(2));
        }
        assertThat(seqs(file)).containsExactly(2);
    }

    @Test
    void aFullDiskFailsTheAppendAndTheWriterRecoversWhenSpaceIsBack() throws Exception {
        Path devFull = Path.of("/dev/full");
        CannotRunHere.unless(Files.isWritable(devFull), "needs /dev/full");
        Path file = dir.resolve("m.json");
        // A symlink to /dev/full makes every write fail with ENOSPC, like a full disk.
        Files.createSymbolicLink(file, devFull);
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            assertThatThrownBy(() -> writer.append(snapshot(1)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
            Files.delete(file);
            writer.append(snapshot(2));
        }
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(seqs(file)).containsExactly(2);
    }

    @Test
    void aReadOnlyFileFailsTheAppendUntilItIsWritable() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, snapshot(0).toString() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        if (!Files.isWritable(file)) {
            // An ordinary user: the file's mode makes it read-only.
            failsWhileReadOnly(file, () -> Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")));
            return;
        }
        // Root ignores file modes: put the file on a tmpfs of its own and mount that read-only (EROFS).
        Path mountPoint = Files.createDirectory(dir.resolve("ro"));
        Path onMount = mountPoint.resolve("m.json");
        run("mount", "-t", "tmpfs", "-o", "size=1m,mode=755", "tmpfs", mountPoint.toString());
        try {
            Files.writeString(onMount, snapshot(0).toString() + "\n");
            run("mount", "-o", "remount,ro", mountPoint.toString());
            assertThat(Files.isWritable(onMount)).as("a file on a read-only mount, even for root").isFalse();
            failsWhileReadOnly(onMount, () -> run("mount", "-o", "remount,rw", mountPoint.toString()));
        } finally {
            unmount(mountPoint);
        }
    }

    /** Appends to a read-only {@code file} (fails), makes it writable, appends again (succeeds). */
    private static void failsWhileReadOnly(Path file, Action makeWritable) throws Exception {
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            assertThatThrownBy(() -> writer.append(snapshot(1))).isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
            makeWritable.run();
            writer.append(snapshot(2));
        }
        assertThat(seqs(file)).containsExactly(0, 2);
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs a mount command as root; a machine that refuses it cannot run the read-only case. */
    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw CannotRunHere.because(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Unmounts, falling back to a lazy unmount, so the test never leaves a mount behind. */
    private static void unmount(Path mountPoint) throws Exception {
        Process p = new ProcessBuilder("umount", mountPoint.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            Process lazy = new ProcessBuilder("umount", "-l", mountPoint.toString()).redirectErrorStream(true).start();
            lazy.getInputStream().readAllBytes();
            assertThat(lazy.waitFor()).as("umount -l " + mountPoint).isZero();
        }
    }

    @Test
    void aClosedWriterRefusesToAppend() throws Exception {
        MetricsWriter writer = new MetricsWriter(dir.resolve("m.json"), 1 << 20, 2, null);
        writer.append(snapshot(1));
        writer.close();
        assertThatThrownBy(() -> writer.append(snapshot(2))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void rejectsNonsensicalLimits() {
        Path file = dir.resolve("m.json");
        assertThatThrownBy(() -> new MetricsWriter(file, 0, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsWriter(file, 1, -1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsWriter(file, 1, 1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aUnicodeValueIsWrittenAsUtf8() throws Exception {
        Path file = dir.resolve("m.json");
        ObjectNode s = snapshot(1);
        s.with("104").put("hostname", "café-ü");
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            writer.append(s);
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).contains("café-ü");
        try (MetricsReader reader = new MetricsReader(file)) {
            List<Snapshot> read = new ArrayList<>();
            reader.poll(read::add);
            assertThat(read.get(0).containers().get("104").get("hostname").asText()).isEqualTo("café-ü");
        }
    }

    @Test
    void aFileDeletedBehindTheWritersBackIsCreatedAgain() throws Exception {
        Path file = dir.resolve("m.json");
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 2, null)) {
            writer.append(snapshot(1));
            Files.delete(file);
            writer.append(snapshot(2));
            Files.move(file, dir.resolve("elsewhere.json"));
            writer.append(snapshot(3));
        }
        assertThat(seqs(file)).containsExactly(3);
        assertThat(seqs(dir.resolve("elsewhere.json"))).containsExactly(2);
    }
}
