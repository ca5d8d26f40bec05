package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.lxcautoscale.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Reads the original's file, one JSON array of snapshots, incrementally: a byte scanner (nesting
 * depth, strings and escapes) finds where each element ends, and keeps its state between polls, so a
 * poll reads only the bytes added since the last one, however the additions cut the elements. Each
 * complete element is parsed by the {@link SnapshotDecoder}; elements that end at or before the
 * offset (delivered earlier, e.g. before a restart) are only scanned.
 *
 * <p>Damage: an element that is not an object counts as corrupt. When the elements do not parse (e.g.
 * a truncated array followed by lines of a newer monitor), reading goes on as JSON Lines from the
 * start of the damaged line. An unfinished array is awaited while the file can grow; once it cannot,
 * the unfinished end counts as one corrupt line. After the closing {@code ]}, reading goes on as JSON
 * Lines (a new monitor appending to the old file).
 */
final class LegacyArrayReader {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsReader.class);
    private static final int READ_BUFFER_BYTES = 256 << 10;
    private static final int ELEMENT_BUFFER_KEEP_BYTES = 1 << 20;

    private enum State { BEFORE_ARRAY, BEFORE_ELEMENT, IN_ELEMENT, DONE }

    private final CorruptLineCounter corrupt;
    private final Supplier<java.nio.file.Path> fileName;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);

    private boolean active;
    private State state;
    /** Next byte of the file to scan. */
    private long scanned;
    private int depth;
    private boolean inString;
    private boolean escaped;
    private long elementStart;
    /** The current element's bytes so far, when it is to be delivered (it starts at or after the offset). */
    private byte[] element = new byte[8192];
    private int elementLength;
    private boolean elementHeld;
    private boolean elementHasNewline;
    /** File size at the last look at an unfinished element's tail, to look again only when it grew. */
    private long tailCheckedAtSize = -1;

    LegacyArrayReader(CorruptLineCounter corrupt, Supplier<java.nio.file.Path> fileName) {
        this.corrupt = corrupt;
        this.fileName = fileName;
    }

    /** True while the open file is an array not yet read past its end. */
    boolean active() {
        return active;
    }

    /** A file was opened or rewound: is it an array (first non-blank byte after a BOM is '[')? */
    void opened(FileChannel channel) throws IOException {
        active = startsWithArray(channel);
        restartScan();
    }

    /** Forgets the open file (no array is being read). */
    void closed() {
        active = false;
        restartScan();
    }

    private void restartScan() {
        state = State.BEFORE_ARRAY;
        scanned = 0;
        depth = 0;
        inString = false;
        escaped = false;
        elementLength = 0;
        elementHeld = false;
        elementHasNewline = false;
        tailCheckedAtSize = -1;
        if (element.length > ELEMENT_BUFFER_KEEP_BYTES) {
            element = new byte[8192];
        }
    }

    /**
     * Scans the bytes added since the last call and delivers the elements completed, moving the offset
     * (via {@code advance}) past each; returns how many were delivered. Becomes inactive when the
     * array is over (closed, or damaged), having moved the offset to where JSON Lines go on.
     */
    int read(FileChannel channel, long offset, boolean fileFinal, SnapshotDecoder decoder, LongConsumer advance)
            throws IOException {
        long[] at = {offset};
        LongConsumer move = position -> {
            at[0] = position;
            advance.accept(position);
        };
        int delivered = 0;
        try {
            while (active && state != State.DONE) {
                readBuffer.clear();
                int n = channel.read(readBuffer, scanned);
                if (n <= 0) {
                    break;
                }
                delivered += scanChunk(channel, readBuffer.array(), n, at, decoder, move);
                scanned += n;
            }
            if (active && state != State.DONE) {
                delivered += unfinished(channel, at[0], fileFinal, decoder, move);
            }
        } catch (IOException | RuntimeException e) {
            // e.g. the consumer threw: scan again from the start next time; the offset says what was delivered
            restartScan();
            throw e;
        }
        return delivered;
    }

    /**
     * Scans {@code a[0, n)} (file bytes from {@link #scanned}), delivering each element completed;
     * an element that lies within the chunk is parsed where it was read, one that spans chunks from
     * the held copy.
     */
    private int scanChunk(FileChannel channel, byte[] a, int n, long[] at, SnapshotDecoder decoder, LongConsumer move)
            throws IOException {
        int delivered = 0;
        int runStart = 0; // where this chunk's part of the current element begins
        int i = 0;
        while (i < n && active) {
            if (state == State.IN_ELEMENT) {
                int end = -1;
                for (; i < n; i++) {
                    byte b = a[i];
                    if (inString) {
                        if (escaped) {
                            escaped = false;
                        } else if (b == '\\') {
                            escaped = true;
                        } else if (b == '"') {
                            inString = false;
                        } else if (b == '\n') {
                            elementHasNewline = true;
                        }
                    } else if (b == '"') {
                        inString = true;
                    } else if (b == '{' || b == '[') {
                        depth++;
                    } else if (b == '}') {
                        depth = Math.max(0, depth - 1);
                    } else if (b == ']') {
                        if (depth == 0) {
                            end = i;
                            state = State.DONE;
                            break;
                        }
                        depth--;
                    } else if (b == ',' && depth == 0) {
                        end = i;
                        state = State.BEFORE_ELEMENT;
                        break;
                    } else if (b == '\n') {
                        elementHasNewline = true;
                    }
                }
                if (end < 0) {
                    if (elementHeld) {
                        hold(a, runStart, n - runStart);
                    }
                    return delivered;
                }
                long endPosition = scanned + end;
                if (elementHeld) {
                    int result;
                    if (elementLength == 0) {
                        result = deliver(channel, a, runStart, end - runStart, endPosition, at[0], decoder, move);
                    } else {
                        hold(a, runStart, end - runStart);
                        result = deliver(channel, element, 0, elementLength, endPosition, at[0], decoder, move);
                    }
                    if (result > 0) {
                        delivered++;
                    }
                }
                elementLength = 0;
                elementHeld = false;
                if (!active) {
                    return delivered;
                }
                if (state == State.DONE) {
                    move.accept(Math.max(at[0], endPosition + 1));
                    active = false;
                    return delivered;
                }
                i = end + 1;
            } else if (state == State.BEFORE_ELEMENT) {
                byte b = a[i];
                if (isBlank(b)) {
                    i++;
                } else if (b == ']') {
                    // an empty array, or "[..., ]"
                    move.accept(Math.max(at[0], scanned + i + 1));
                    state = State.DONE;
                    active = false;
                    return delivered;
                } else {
                    state = State.IN_ELEMENT;
                    elementStart = scanned + i;
                    elementHeld = elementStart >= at[0];
                    elementLength = 0;
                    elementHasNewline = false;
                    depth = 0;
                    inString = false;
                    escaped = false;
                    runStart = i;
                }
            } else if (state == State.BEFORE_ARRAY) {
                byte b = a[i];
                long position = scanned + i;
                if (b == '[') {
                    state = State.BEFORE_ELEMENT;
                } else if (!isBlank(b) && !(position < 3 && isBom(b, position))) {
                    active = false;
                    return delivered;
                }
                i++;
            } else {
                return delivered;
            }
        }
        return delivered;
    }

    private void hold(byte[] source, int from, int length) {
        if (elementLength + length > element.length) {
            element = Arrays.copyOf(element, Math.max(element.length * 2, elementLength + length));
        }
        System.arraycopy(source, from, element, elementLength, length);
        elementLength += length;
    }

    /**
     * Parses and delivers the element in {@code bytes[from, from + length)}, which started at
     * {@link #elementStart} and ended before {@code end}; 1 if delivered, 0 if corrupt, -1 if it was
     * damage (the reader is then inactive and the offset at the damaged line).
     */
    private int deliver(FileChannel channel, byte[] bytes, int from, int length, long end, long offset,
                        SnapshotDecoder decoder, LongConsumer move) throws IOException {
        if (isBlankRange(bytes, from, length)) {
            return 0; // a trailing comma
        }
        try {
            decoder.parse(bytes, from, length);
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            long relative = location != null && location.getByteOffset() >= 0 ? location.getByteOffset() : 0;
            damaged(channel, offset, elementStart + Math.min(relative, length), e.getOriginalMessage(), move);
            return -1;
        } catch (IllegalArgumentException e) {
            corrupt.skip(elementStart, "legacy array element: " + e.getMessage());
            move.accept(end);
            return 0;
        }
        decoder.deliver();
        move.accept(end);
        return 1;
    }

    /** At the end of the bytes with the array unfinished: wait, or settle what the tail is. */
    private int unfinished(FileChannel channel, long offset, boolean fileFinal, SnapshotDecoder decoder,
                           LongConsumer move) throws IOException {
        long size = channel.size();
        boolean pending = state == State.IN_ELEMENT && elementHeld;
        if (!fileFinal && !(pending && elementHasNewline && size != tailCheckedAtSize)) {
            return 0; // still being written; the scan goes on where it stopped
        }
        tailCheckedAtSize = size;
        int delivered = 0;
        long damageAt = -1;
        String damage = null;
        if (pending) {
            // Whether the tail is an element cut short (wait) or damage (e.g. lines appended after a
            // truncated array): Jackson tells, from the element's first byte.
            long valueEnd = -1;
            try (JsonParser parser = Json.mapper().createParser(element, 0, elementLength)) {
                parser.nextToken();
                parser.skipChildren();
                valueEnd = parser.currentLocation().getByteOffset();
                JsonToken next = parser.nextToken();
                if (next != null) {
                    damageAt = elementStart + parser.currentTokenLocation().getByteOffset();
                    damage = "an element not followed by ',' or ']'";
                }
            } catch (JacksonException e) {
                // the end of the bytes is no damage: the element is being written
                JsonLocation location = e.getLocation();
                long relative = location != null ? location.getByteOffset() : -1;
                if (!(e instanceof JsonEOFException) && relative >= 0 && relative < elementLength) {
                    damageAt = elementStart + relative;
                    damage = e.getOriginalMessage();
                }
            }
            if (valueEnd >= 0 && (damage != null || fileFinal)) {
                // a complete element before the damage or the end: deliver it
                int length = (int) valueEnd;
                int result = deliver(channel, element, 0, length, elementStart + length, offset, decoder, move);
                if (result < 0) {
                    return delivered;
                }
                delivered += result;
                offset = Math.max(offset, elementStart + length);
            }
        }
        if (damage != null) {
            damaged(channel, offset, damageAt, damage, move);
            return delivered;
        }
        if (fileFinal) {
            corrupt.skip(offset, "legacy JSON array ends early");
            active = false;
            move.accept(size);
        }
        return delivered;
    }

    /** Damage inside the array: JSON Lines go on from the start of the line holding {@code at}. */
    private void damaged(FileChannel channel, long offset, long at, String why, LongConsumer move) throws IOException {
        LOG.warn("metrics file {}: JSON array damaged near byte {} ({}); reading on as JSON Lines", fileName.get(), at, why);
        active = false;
        move.accept(Math.max(offset, lineStartBefore(channel, offset, at)));
    }

    /** The start of the line holding byte {@code at}, searching forward from {@code offset}. */
    private long lineStartBefore(FileChannel channel, long offset, long at) throws IOException {
        long lineStart = offset;
        long position = offset;
        while (position < at) {
            readBuffer.clear();
            readBuffer.limit((int) Math.min(readBuffer.capacity(), at - position));
            int n = channel.read(readBuffer, position);
            if (n <= 0) {
                break;
            }
            byte[] a = readBuffer.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    lineStart = position + i + 1;
                }
            }
            position += n;
        }
        return lineStart;
    }

    /** True when the first non-blank byte (after an optional UTF-8 BOM) is '['. */
    private boolean startsWithArray(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4096);
        long position = 0;
        boolean first = true;
        while (true) {
            head.clear();
            int n = channel.read(head, position);
            if (n <= 0) {
                return false;
            }
            byte[] a = head.array();
            int i = 0;
            if (first && n >= 3 && (a[0] & 0xff) == 0xEF && (a[1] & 0xff) == 0xBB && (a[2] & 0xff) == 0xBF) {
                i = 3;
            }
            first = false;
            for (; i < n; i++) {
                byte b = a[i];
                if (!isBlank(b)) {
                    return b == '[';
                }
            }
            position += n;
        }
    }

    private static boolean isBom(byte b, long position) {
        int v = b & 0xff;
        return position == 0 ? v == 0xEF : position == 1 ? v == 0xBB : v == 0xBF;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static boolean isBlankRange(byte[] a, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (!isBlank(a[i])) {
                return false;
            }
        }
        return true;
    }
}
