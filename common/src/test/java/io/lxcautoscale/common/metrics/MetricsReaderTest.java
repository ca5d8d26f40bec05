package io.lxcautoscale.common.metrics;

import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.lxcautoscale.common.metrics.MetricsRoundTripTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsReaderTest {
    @TempDir
    Path dir;

    private final List<Integer> seen = new ArrayList<>();

    private int poll(MetricsReader reader) throws IOException {
        return reader.poll(s -> seen.add(s.summary().get("seq").asInt()));
    }

    private static String line(int seq) {
        return snapshot(seq).toString() + "\n";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<Integer> range(int fromInclusive, int toExclusive) {
        return IntStream.range(fromInclusive, toExclusive).boxed().collect(Collectors.toList());
    }

    @Test
    void aTornLastLineIsLeftForTheNextPollAndDeliveredOnceComplete() throws Exception {
        Path file = dir.resolve("m.json");
        String second = line(2);
        Files.writeString(file, line(1) + second.substring(0, 30));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(1);
            assertThat(reader.position().offset()).isEqualTo(line(1).length());
            assertThat(poll(reader)).isZero();
            append(file, second.substring(30));
            assertThat(poll(reader)).isEqualTo(1);
            assertThat(seen).containsExactly(1, 2);
            assertThat(reader.corruptLines()).isZero();
            assertThat(reader.position().offset()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void aTornLineTerminatedByTheRestartedWriterCountsAsCorrupt() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + line(2).substring(0, 30));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(1);
            try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 1, null)) {
                writer.append(snapshot(3));
            }
            assertThat(poll(reader)).isEqualTo(1);
            assertThat(seen).containsExactly(1, 3);
            assertThat(reader.corruptLines()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptMiddleLineIsSkippedAndCounted() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + "{\"104\": {\"cpu\": 4\n" + line(2) + "not json at all\n" + line(3));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(3);
            assertThat(seen).containsExactly(1, 2, 3);
            assertThat(reader.corruptLines()).isEqualTo(2);
        }
    }

    @Test
    void linesThatAreNotOneObjectAreCorruptButBlankLinesAreIgnored() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + "[" + line(9).trim() + "]\n" + "42\n" + "\"text\"\nnull\n"
                + line(9).trim() + " {}\n" + "{\"a\":1,\"a\":2}\n" + "\n  \n" + line(2));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(2);
            assertThat(seen).containsExactly(1, 2);
            assertThat(reader.corruptLines()).isEqualTo(6);
        }
    }

    @Test
    void anOverlongLineIsCorruptAndTheNextLineIsRead() throws Exception {
        Path file = dir.resolve("m.json");
        String longLine = "{\"x\":\"" + "a".repeat(300_000) + "\"}\n";
        Files.writeString(file, line(1) + longLine + line(2));
        try (MetricsReader reader = new MetricsReader(file, MetricsPosition.start(), 100_000)) {
            assertThat(poll(reader)).isEqualTo(2);
            assertThat(seen).containsExactly(1, 2);
            assertThat(reader.corruptLines()).isEqualTo(1);
        }
    }

    @Test
    void readsLinesSpanningManyReadBuffers() throws Exception {
        Path file = dir.resolve("m.json");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            var s = snapshot(i);
            s.with("104").put("padding", "p".repeat(10_000 + i * 997));
            text.append(s).append('\n');
        }
        Files.writeString(file, text);
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(50);
        }
        assertThat(seen).isEqualTo(range(0, 50));
    }

    @Test
    void aMissingFileYieldsNothingUntilItAppears() throws Exception {
        Path file = dir.resolve("m.json");
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isZero();
            Files.writeString(file, line(1));
            assertThat(poll(reader)).isEqualTo(1);
        }
    }

    @Test
    void readsTheOriginalsSingleArrayFile() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "\n [" + snapshot(1) + ", " + snapshot(2) + ",\n" + snapshot(3) + "]");
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(3);
            assertThat(poll(reader)).isZero();
            assertThat(reader.corruptLines()).isZero();
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void readsAPrettyPrintedArrayAndCountsNonObjectElements() throws Exception {
        Path file = dir.resolve("m.json");
        String pretty = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                Json.mapper().createArrayNode().add(snapshot(1)).add(7).add(snapshot(2)));
        Files.writeString(file, pretty);
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(2);
            assertThat(reader.corruptLines()).isEqualTo(1);
        }
        assertThat(seen).containsExactly(1, 2);
    }

    @Test
    void aTruncatedArrayYieldsTheElementsBeforeTheDamage() throws Exception {
        Path file = dir.resolve("m.json");
        String whole = "[" + snapshot(1) + "," + snapshot(2) + "," + snapshot(3) + "]";
        int cut = whole.indexOf("\"seq\":3");
        Files.writeString(file, whole.substring(0, cut));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(2);
            assertThat(poll(reader)).isZero();
            MetricsPosition position = reader.position();
            // The original rewrote its file whole; when the rest arrives, only the new element is delivered.
            append(file, whole.substring(cut));
            assertThat(poll(reader)).isEqualTo(1);
            assertThat(seen).containsExactly(1, 2, 3);
            assertThat(reader.corruptLines()).isZero();
            try (MetricsReader resumed = new MetricsReader(file, position)) {
                List<Integer> again = new ArrayList<>();
                resumed.poll(s -> again.add(s.summary().get("seq").asInt()));
                assertThat(again).containsExactly(3);
            }
        }
    }

    @Test
    void linesAppendedAfterALegacyArrayAreReadToo() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "[" + snapshot(1) + "," + snapshot(2) + "]");
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(2);
            // The new monitor appends to the original's file in place (after isolating its last line).
            try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 1, null)) {
                writer.append(snapshot(3));
                writer.append(snapshot(4));
            }
            assertThat(poll(reader)).isEqualTo(2);
            assertThat(reader.corruptLines()).isZero();
            try (MetricsReader fresh = new MetricsReader(file)) {
                assertThat(fresh.poll(s -> { })).isEqualTo(4);
            }
        }
        assertThat(seen).containsExactly(1, 2, 3, 4);
    }

    @Test
    void linesAfterATruncatedLegacyArrayAreReadAndTheDamageCounted() throws Exception {
        Path file = dir.resolve("m.json");
        String whole = "[" + snapshot(1) + "," + snapshot(2) + "]";
        Files.writeString(file, whole.substring(0, whole.length() - 20));
        try (MetricsWriter writer = new MetricsWriter(file, 1 << 20, 1, null)) {
            writer.append(snapshot(3));
        }
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(2);
            assertThat(reader.corruptLines()).isEqualTo(1);
        }
        assertThat(seen).containsExactly(1, 3);
    }

    @Test
    void followsRotationWhileMidFileWithoutLosingOrRepeatingASnapshot() throws Exception {
        Path file = dir.resolve("m.json");
        int lineBytes = line(10).length();
        try (MetricsWriter writer = new MetricsWriter(file, 4L * lineBytes, 5, null);
             MetricsReader reader = new MetricsReader(file)) {
            for (int i = 10; i < 12; i++) {
                writer.append(snapshot(i));
            }
            assertThat(poll(reader)).isEqualTo(2);
            // Two more into the file being read, then two rotations before the next poll.
            for (int i = 12; i < 22; i++) {
                writer.append(snapshot(i));
            }
            assertThat(RotatedFiles.indices(file)).containsExactly(1, 2);
            assertThat(poll(reader)).isEqualTo(10);
            writer.append(snapshot(22));
            assertThat(poll(reader)).isEqualTo(1);
            assertThat(reader.corruptLines()).isZero();
        }
        assertThat(seen).isEqualTo(range(10, 23));
    }

    @Test
    void finishesTheOpenFileEvenWhenRotationDeletedIt() throws Exception {
        Path file = dir.resolve("m.json");
        int lineBytes = line(10).length();
        try (MetricsWriter writer = new MetricsWriter(file, 3L * lineBytes, 0, null);
             MetricsReader reader = new MetricsReader(file)) {
            writer.append(snapshot(10));
            assertThat(poll(reader)).isEqualTo(1);
            writer.append(snapshot(11));
            writer.append(snapshot(12));
            writer.append(snapshot(13)); // rotation with nothing kept: the file being read is unlinked
            assertThat(RotatedFiles.indices(file)).isEmpty();
            assertThat(poll(reader)).isEqualTo(3);
        }
        assertThat(seen).containsExactly(10, 11, 12, 13);
    }

    @Test
    void aTornLastLineOfARotatedFileIsCountedOnceTheFileCanNoLongerGrow() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + line(2).substring(0, 25));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(1);
            // A restarted writer whose first line does not fit rotates the torn file away unchanged.
            try (MetricsWriter writer = new MetricsWriter(file, Files.size(file) + 5, 3, null)) {
                writer.append(snapshot(3));
            }
            assertThat(poll(reader)).isEqualTo(1);
            assertThat(reader.corruptLines()).isEqualTo(1);
        }
        assertThat(seen).containsExactly(1, 3);
    }

    @Test
    void resumesFromASavedPositionInANewReader() throws Exception {
        Path file = dir.resolve("m.json");
        Path state = dir.resolve("position.json");
        int lineBytes = line(10).length();
        try (MetricsWriter writer = new MetricsWriter(file, 3L * lineBytes, 5, null)) {
            for (int i = 10; i < 12; i++) {
                writer.append(snapshot(i));
            }
            try (MetricsReader reader = new MetricsReader(file)) {
                assertThat(poll(reader)).isEqualTo(2);
                Json.mapper().writeValue(state.toFile(), reader.position());
            }
            // While no reader runs, the file is rotated away twice.
            for (int i = 12; i < 19; i++) {
                writer.append(snapshot(i));
            }
        }
        MetricsPosition saved = Json.mapper().readValue(state.toFile(), MetricsPosition.class);
        assertThat(saved.fileKey()).isNotBlank();
        assertThat(saved.offset()).isEqualTo(2L * lineBytes);
        try (MetricsReader reader = new MetricsReader(file, saved)) {
            assertThat(poll(reader)).isEqualTo(7);
        }
        assertThat(seen).isEqualTo(range(10, 19));
    }

    @Test
    void aPositionWhoseFileIsGoneContinuesWithTheOldestRemainingFile() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1));
        MetricsPosition position;
        try (MetricsReader reader = new MetricsReader(file)) {
            poll(reader);
            position = reader.position();
        }
        Files.delete(file);
        Files.writeString(RotatedFiles.rotated(file, 1), line(2));
        Files.writeString(file, line(3));
        try (MetricsReader reader = new MetricsReader(file, position)) {
            poll(reader);
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void aFileTruncatedInPlaceIsReadAgainFromTheStart() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + line(2));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(2);
            try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            append(file, line(3));
            assertThat(poll(reader)).isEqualTo(1);
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void aSnapshotWhoseConsumerThrewIsDeliveredAgain() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + line(2) + line(3));
        try (MetricsReader reader = new MetricsReader(file)) {
            AtomicBoolean failed = new AtomicBoolean();
            assertThatThrownBy(() -> reader.poll(s -> {
                int seq = s.summary().get("seq").asInt();
                if (seq == 2 && failed.compareAndSet(false, true)) {
                    throw new IllegalStateException("consumer failed");
                }
                seen.add(seq);
            })).hasMessage("consumer failed");
            assertThat(poll(reader)).isEqualTo(2);
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void aConcurrentWriterAndReaderAgreeOnEverySnapshotAcrossRotations() throws Exception {
        Path file = dir.resolve("m.json");
        int total = 2000;
        int lineBytes = line(1000).length();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        Thread writerThread = new Thread(() -> {
            try (MetricsWriter writer = new MetricsWriter(file, 50L * lineBytes, 1000, Duration.ofDays(1))) {
                for (int i = 0; i < total; i++) {
                    writer.append(snapshot(i));
                }
            } catch (Throwable e) {
                writerError.set(e);
            }
        });
        try (MetricsReader reader = new MetricsReader(file)) {
            writerThread.start();
            while (writerThread.isAlive()) {
                poll(reader);
            }
            writerThread.join();
            poll(reader);
            assertThat(writerError.get()).isNull();
            assertThat(reader.corruptLines()).isZero();
        }
        assertThat(seen).as("missing %s, delivered more than once %s", missing(seen, total), repeated(seen)).isEqualTo(range(0, total));
    }

    private static List<Integer> missing(List<Integer> seen, int total) {
        java.util.Set<Integer> s = new java.util.HashSet<>(seen);
        return java.util.stream.IntStream.range(0, total).filter(i -> !s.contains(i)).boxed().toList();
    }

    private static List<Integer> repeated(List<Integer> seen) {
        java.util.Set<Integer> once = new java.util.HashSet<>();
        return seen.stream().filter(i -> !once.add(i)).toList();
    }

    @Test
    void aNewReaderStartsWithTheOldestRotatedFile() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(RotatedFiles.rotated(file, 3), line(1));
        Files.writeString(RotatedFiles.rotated(file, 1), line(2) + line(3));
        Files.writeString(file, line(4));
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(poll(reader)).isEqualTo(4);
        }
        try (MetricsReader reader = new MetricsReader(file, MetricsPosition.startOf(file))) {
            assertThat(poll(reader)).isEqualTo(1);
        }
        assertThat(seen).containsExactly(1, 2, 3, 4, 4);
    }

    @Test
    void aPositionSurvivesAJsonRoundTripAndRejectsNonsense() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, line(1) + line(2));
        MetricsPosition position;
        try (MetricsReader reader = new MetricsReader(file)) {
            reader.poll(s -> { });
            position = reader.position();
        }
        String json = Json.mapper().writeValueAsString(position);
        assertThat(Json.mapper().readValue(json, MetricsPosition.class)).isEqualTo(position);
        assertThat(position.fileKey()).contains("#" + line(1).length() * 2 + ":");
        assertThatThrownBy(() -> new MetricsPosition(null, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsPosition("k", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsReader(file, new MetricsPosition("(ino=1)#x:y", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(ino=1)#x:y");
    }

    @Test
    void aSavedPositionDoesNotFollowAnInodeReusedByANewFile() throws Exception {
        Path file = dir.resolve("m.json");
        String old = line(1) + line(2);
        Files.writeString(file, line(3) + line(4) + line(5));
        // A position saved in the old file, whose inode number the new file now has.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(old.getBytes(StandardCharsets.UTF_8));
        MetricsPosition saved = new MetricsPosition(
                RotatedFiles.fileKey(file) + "#" + old.length() + ":" + Long.toHexString(crc.getValue()), old.length());
        try (MetricsReader reader = new MetricsReader(file, saved)) {
            poll(reader);
        }
        assertThat(seen).containsExactly(3, 4, 5);
    }

    @Test
    void aPathThatCannotBeReadFailsThePollNamingIt() throws Exception {
        Path file = dir.resolve("m.json");
        Files.createDirectory(file);
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThatThrownBy(() -> poll(reader)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
        }
    }
}
