package io.lxcautoscale.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static io.lxcautoscale.common.metrics.MetricsRoundTripTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/** The original's single-array file read incrementally through {@link MetricsReader}. */
class LegacyArrayReaderTest {
    @TempDir
    Path dir;

    private static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Counts parses, so a test can tell whether a poll read old elements again. */
    private static final class CountingDecoder implements SnapshotDecoder {
        private final SnapshotTreeDecoder tree;
        int parses;

        CountingDecoder(Consumer<Snapshot> consumer) {
            tree = new SnapshotTreeDecoder(consumer);
        }

        @Override
        public void parse(byte[] bytes, int offset, int length) throws IOException {
            parses++;
            tree.parse(bytes, offset, length);
        }

        @Override
        public void deliver() {
            tree.deliver();
        }
    }

    @Test
    void anArrayGrowingInPiecesOfAnySizeDeliversEachSnapshotOnceInOrder() throws Exception {
        Path file = dir.resolve("m.json");
        StringBuilder whole = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            // strings holding the scanner's special bytes must not end an element early
            whole.append(i == 0 ? "" : ", ").append(snapshot(i).put("note", "a,b]c}\"d\\\"e{[")
                    .toString());
        }
        whole.append("]");
        byte[] bytes = whole.toString().getBytes(StandardCharsets.UTF_8);
        List<Integer> seen = new ArrayList<>();
        Random random = new Random(7);
        Files.write(file, new byte[0]);
        try (MetricsReader reader = new MetricsReader(file)) {
            int at = 0;
            while (at < bytes.length) {
                int piece = Math.min(bytes.length - at, 1 + random.nextInt(60));
                Files.write(file, java.util.Arrays.copyOfRange(bytes, at, at + piece), StandardOpenOption.APPEND);
                at += piece;
                reader.poll(s -> seen.add(s.summary().get("seq").asInt()));
            }
            assertThat(reader.corruptLines()).isZero();
            assertThat(reader.position().offset()).isEqualTo(bytes.length);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void aPollAfterGrowthParsesOnlyTheNewElement() throws Exception {
        Path file = dir.resolve("m.json");
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            text.append(i == 0 ? "" : ",").append(snapshot(i));
        }
        Files.writeString(file, text.toString());
        List<Integer> seen = new ArrayList<>();
        CountingDecoder decoder = new CountingDecoder(s -> seen.add(s.summary().get("seq").asInt()));
        try (MetricsReader reader = new MetricsReader(file)) {
            // the 50th element is not known to be complete until a ',' or ']' follows it
            assertThat(reader.poll(decoder)).isEqualTo(49);
            assertThat(decoder.parses).isEqualTo(49);
            append(file, "," + snapshot(50));
            assertThat(reader.poll(decoder)).isEqualTo(1);
            assertThat(decoder.parses).isEqualTo(50);
            append(file, "]");
            assertThat(reader.poll(decoder)).isEqualTo(1);
            assertThat(decoder.parses).isEqualTo(51);
            assertThat(reader.poll(decoder)).isZero();
            assertThat(decoder.parses).isEqualTo(51);
        }
        assertThat(seen).hasSize(51).startsWith(0, 1, 2).endsWith(49, 50);
    }

    @Test
    void aSnapshotLargerThanSeveralReadsIsDeliveredWhole() throws Exception {
        Path file = dir.resolve("m.json");
        String note = "n".repeat(700_000); // the reader reads 256 KiB at a time
        String big = snapshot(2).put("note", note).toString();
        Files.writeString(file, "[" + snapshot(1) + ",\n" + big.substring(0, 300_000));
        List<Snapshot> seen = new ArrayList<>();
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(reader.poll(seen::add)).isEqualTo(1); // the first is complete: its ',' is there
            append(file, big.substring(300_000, 600_000));
            assertThat(reader.poll(seen::add)).isZero();
            append(file, big.substring(600_000) + "]");
            assertThat(reader.poll(seen::add)).isEqualTo(1);
            assertThat(reader.corruptLines()).isZero();
        }
        assertThat(seen).extracting(s -> s.summary().get("seq").asInt()).containsExactly(1, 2);
        assertThat(seen.get(1).containers().get("note").asText()).isEqualTo(note);
    }

    @Test
    void aResumedReaderOnlyScansTheElementsDeliveredBefore() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "[" + snapshot(1) + "," + snapshot(2) + "," + snapshot(3) + "]");
        // a position saved after the second element (at the ',' that ends it)
        MetricsPosition afterTwo = new MetricsPosition(MetricsPosition.startOf(file).fileKey(), Files.readString(file).indexOf(snapshot(3).toString()) - 1);
        List<Integer> again = new ArrayList<>();
        CountingDecoder decoder = new CountingDecoder(s -> again.add(s.summary().get("seq").asInt()));
        try (MetricsReader resumed = new MetricsReader(file, afterTwo)) {
            assertThat(resumed.poll(decoder)).isEqualTo(1);
        }
        assertThat(again).containsExactly(3);
        assertThat(decoder.parses).isEqualTo(1);
    }

    @Test
    void aConsumerThatThrowsGetsTheSameElementAgain() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "[" + snapshot(1) + "," + snapshot(2) + "," + snapshot(3) + "]");
        List<Integer> seen = new ArrayList<>();
        boolean[] failOnce = {true};
        try (MetricsReader reader = new MetricsReader(file)) {
            Consumer<Snapshot> consumer = s -> {
                int seq = s.summary().get("seq").asInt();
                if (seq == 2 && failOnce[0]) {
                    failOnce[0] = false;
                    throw new IllegalStateException("consumer failed");
                }
                seen.add(seq);
            };
            try {
                reader.poll(consumer);
            } catch (IllegalStateException expected) {
                assertThat(seen).containsExactly(1);
            }
            assertThat(reader.poll(consumer)).isEqualTo(2);
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void elementsThatAreNotObjectsAreCountedAndAnEmptyArrayIsNothing() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "[ 7, \"x\", [1, {\"a\": 2}], " + snapshot(1) + " ]\n" + snapshot(2) + "\n");
        List<Integer> seen = new ArrayList<>();
        try (MetricsReader reader = new MetricsReader(file)) {
            assertThat(reader.poll(s -> seen.add(s.summary().get("seq").asInt()))).isEqualTo(2);
            assertThat(reader.corruptLines()).isEqualTo(3);
        }
        assertThat(seen).containsExactly(1, 2);
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, " [ ] ");
        try (MetricsReader reader = new MetricsReader(empty)) {
            assertThat(reader.poll(s -> { })).isZero();
            assertThat(reader.corruptLines()).isZero();
        }
    }
}
