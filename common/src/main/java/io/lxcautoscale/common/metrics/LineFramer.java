package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JacksonException;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * JSON Lines framing: cuts the bytes of a file from an offset into complete lines, hands each to a
 * {@link SnapshotDecoder}, and skips and counts the corrupt ones. A line counts only once its
 * {@code '\n'} is there, unless the file can no longer grow; blank lines are ignored; a line longer
 * than the limit is corrupt and never held in memory whole. Lines that lie within one read are
 * parsed where they were read; only a line that spans reads is copied.
 */
final class LineFramer {
    private static final int READ_BUFFER_BYTES = 512 << 10;
    private static final int LINE_BUFFER_KEEP_BYTES = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int maxLineBytes;
    private final CorruptLineCounter corrupt;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private byte[] held = new byte[8192];
    private int heldLength;
    private boolean heldOversize;

    LineFramer(int maxLineBytes, CorruptLineCounter corrupt) {
        this.maxLineBytes = maxLineBytes;
        this.corrupt = corrupt;
    }

    /**
     * Reads the complete lines of {@code channel} from {@code from} to its current end and returns how
     * many snapshots were delivered. After each line {@code advance} gets the offset just past it —
     * after the decoder delivered, so a throwing consumer sees the line again. With {@code fileFinal}
     * an unterminated last line is handled as a line too.
     */
    int read(FileChannel channel, long from, boolean fileFinal, SnapshotDecoder decoder, LongConsumer advance)
            throws IOException {
        int delivered = 0;
        long readPosition = from;
        long lineStart = from;
        heldLength = 0;
        heldOversize = false;
        try {
            while (true) {
                readBuffer.clear();
                int n = channel.read(readBuffer, readPosition);
                if (n <= 0) {
                    break;
                }
                byte[] a = readBuffer.array();
                int start = 0;
                int i;
                while ((i = indexOfNewline(a, start, n)) >= 0) {
                    long end = readPosition + i + 1;
                    boolean ok;
                    if (heldLength == 0 && !heldOversize) {
                        ok = handle(a, start, i - start, i - start > maxLineBytes, lineStart, end, decoder, advance);
                    } else {
                        hold(a, start, i - start);
                        ok = handle(held, 0, heldLength, heldOversize, lineStart, end, decoder, advance);
                        heldLength = 0;
                        heldOversize = false;
                    }
                    if (ok) {
                        delivered++;
                    }
                    lineStart = end;
                    start = i + 1;
                }
                hold(a, start, n - start);
                readPosition += n;
            }
            if (fileFinal && (heldLength > 0 || heldOversize)) {
                if (handle(held, 0, heldLength, heldOversize, lineStart, readPosition, decoder, advance)) {
                    delivered++;
                }
            }
        } finally {
            heldLength = 0;
            heldOversize = false;
            if (held.length > LINE_BUFFER_KEEP_BYTES) {
                held = new byte[8192];
            }
        }
        return delivered;
    }

    /**
     * The index of the first {@code '\n'} in {@code a[from, to)}, or -1. Eight bytes at a time: a
     * byte of {@code word ^ 0x0A…} is zero where the newline is, and {@code (x - 0x01…) & ~x & 0x80…}
     * flags the first zero byte exactly (a borrow can only flag bytes above it).
     */
    static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(a, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long found = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void hold(byte[] source, int from, int length) {
        if (length == 0 || heldOversize) {
            return;
        }
        if ((long) heldLength + length > maxLineBytes) {
            // Too long to be a snapshot: drop what we hold and skip to the line's end.
            heldOversize = true;
            heldLength = 0;
            return;
        }
        if (heldLength + length > held.length) {
            long grown = Math.max((long) held.length * 2, (long) heldLength + length);
            held = Arrays.copyOf(held, (int) Math.min(grown, maxLineBytes));
        }
        System.arraycopy(source, from, held, heldLength, length);
        heldLength += length;
    }

    /** Parses and delivers one line; true if it was a snapshot. Moves the offset to {@code end} after delivery. */
    private boolean handle(byte[] bytes, int offset, int length, boolean oversize, long lineStart, long end,
                           SnapshotDecoder decoder, LongConsumer advance) {
        boolean parsed = false;
        if (oversize) {
            corrupt.skip(lineStart, "line longer than " + maxLineBytes + " bytes");
        } else if (!isBlank(bytes, offset, length)) {
            try {
                decoder.parse(bytes, offset, length);
                parsed = true;
            } catch (JacksonException e) {
                corrupt.skip(lineStart, e.getOriginalMessage());
            } catch (IOException | IllegalArgumentException e) {
                corrupt.skip(lineStart, e.getMessage());
            }
        }
        if (parsed) {
            decoder.deliver();
        }
        advance.accept(end);
        return parsed;
    }

    private static boolean isBlank(byte[] a, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = a[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
