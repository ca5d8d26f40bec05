package io.lxcautoscale.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineFramerTest {
    @TempDir
    Path dir;

    /** Records the text of each parsed line; "bad" lines fail to parse as a decoder would. */
    private static class Recorder implements SnapshotDecoder {
        final List<String> delivered = new ArrayList<>();
        private String pending;

        boolean pendingIs(String text) {
            return text.equals(pending);
        }

        @Override
        public void parse(byte[] bytes, int offset, int length) {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            if (text.startsWith("bad")) {
                throw new IllegalArgumentException("not a snapshot");
            }
            pending = text;
        }

        @Override
        public void deliver() {
            delivered.add(pending);
        }
    }

    private final List<Long> offsets = new ArrayList<>();
    private final CorruptLineCounter corrupt = new CorruptLineCounter(() -> Path.of("test"));

    private int read(Path file, LineFramer framer, long from, boolean fileFinal, Recorder recorder) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return framer.read(channel, from, fileFinal, recorder, offsets::add);
        }
    }

    @Test
    void cutsLinesSkipsBlankAndCountsCorruptAndReportsEachLineEnd() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "a1\n\n  \r\nbad\na2\ntorn");
        Recorder recorder = new Recorder();
        LineFramer framer = new LineFramer(1 << 20, corrupt);
        assertThat(read(file, framer, 0, false, recorder)).isEqualTo(2);
        assertThat(recorder.delivered).containsExactly("a1", "a2");
        assertThat(corrupt.count()).isEqualTo(1);
        // "a1\n" ends at 3, "\n" at 4, "  \r\n" at 8, "bad\n" at 12, "a2\n" at 15; "torn" is left
        assertThat(offsets).containsExactly(3L, 4L, 8L, 12L, 15L);
    }

    @Test
    void theUnterminatedLastLineIsALineOnceTheFileCannotGrow() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "a1\ntorn");
        Recorder recorder = new Recorder();
        assertThat(read(file, new LineFramer(1 << 20, corrupt), 3, true, recorder)).isEqualTo(1);
        assertThat(recorder.delivered).containsExactly("torn");
        assertThat(offsets).containsExactly(7L);
    }

    @Test
    void aLineSpanningManyReadsIsHeldWholeAndAnOverlongOneIsCorrupt() throws Exception {
        Path file = dir.resolve("m.json");
        String big = "x".repeat(3_000_000); // longer than the 512 KiB read buffer: spans six reads
        String overlong = "y".repeat(5_000_001);
        Files.writeString(file, "s\n" + big + "\n" + overlong + "\ne\n");
        Recorder recorder = new Recorder();
        LineFramer framer = new LineFramer(5_000_000, corrupt);
        assertThat(read(file, framer, 0, false, recorder)).isEqualTo(3);
        assertThat(recorder.delivered).containsExactly("s", big, "e");
        assertThat(corrupt.count()).isEqualTo(1);
        long afterBig = 2 + 3_000_001;
        long afterOverlong = afterBig + 5_000_002;
        assertThat(offsets).containsExactly(2L, afterBig, afterOverlong, afterOverlong + 2);
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAndOneByteMoreIsNot() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "12345678\n123456789\n");
        Recorder recorder = new Recorder();
        assertThat(read(file, new LineFramer(8, corrupt), 0, false, recorder)).isEqualTo(1);
        assertThat(recorder.delivered).containsExactly("12345678");
        assertThat(corrupt.count()).isEqualTo(1);
    }

    @Test
    void aThrowingConsumerLeavesItsLineUnconsumed() throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "a1\na2\n");
        Recorder recorder = new Recorder() {
            @Override
            public void deliver() {
                if (pendingIs("a2")) {
                    throw new IllegalStateException("consumer failed");
                }
                super.deliver();
            }
        };
        assertThatThrownBy(() -> read(file, new LineFramer(1 << 20, corrupt), 0, false, recorder))
                .isInstanceOf(IllegalStateException.class);
        // the line's end was not reported, so the next read starts at it again
        assertThat(offsets).containsExactly(3L);
        assertThat(corrupt.count()).isZero();
    }

    @Test
    void findsTheFirstNewlineAsAByteByByteSearchDoes() {
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 20_000; round++) {
            byte[] a = new byte[random.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                // mostly bytes next to '\n' (0x0A) in value, and 0x80+ bytes, to tempt the bit trick
                int pick = random.nextInt(10);
                a[i] = (byte) (pick == 0 ? '\n' : pick < 4 ? 0x0B : pick < 7 ? 0x8A : random.nextInt(256));
            }
            int from = a.length == 0 ? 0 : random.nextInt(a.length);
            int to = from + (a.length == from ? 0 : random.nextInt(a.length - from + 1));
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (a[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LineFramer.indexOfNewline(a, from, to)).isEqualTo(expected);
        }
    }
}
