package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tails the metrics file written by {@link MetricsWriter}: streams complete snapshot lines with
 * bounded memory, skips and counts corrupt lines, resumes from a {@link MetricsPosition}, follows
 * rotation and also reads the original's single-JSON-array file.
 *
 * <p>Rules (see {@code docs/metrics-format.md}, "Reading"):
 * <ul>
 *   <li>A line counts only once its {@code '\n'} is there. An unterminated last line of the live
 *       file is left unconsumed (the writer may be mid-write); it becomes a corrupt line once the
 *       writer terminates it (after a crash the writer writes {@code '\n'} first), or, when the file
 *       has been rotated away and can no longer grow, it is parsed as a last line.</li>
 *   <li>A line that is not one JSON object, or is longer than the line limit (64 MiB), is skipped
 *       and counted in {@link #corruptLines()}; blank lines are ignored.</li>
 *   <li>When the file at the path is no longer the one being read (rotated, replaced) the old file
 *       is read to its end first — found by its file key under {@code file.1}, {@code file.2}, … —
 *       then the next newer file from byte 0. A file that shrank below the offset is re-read from 0.</li>
 * </ul>
 * Methods are synchronized, so a monitoring thread may call {@link #position()} or
 * {@link #corruptLines()} while another polls; each consumer should have its own reader.
 */
public final class MetricsReader implements Closeable {
    /** Lines longer than this are corrupt; they are skipped without being held in memory. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsReader.class);
    private static final int READ_BUFFER_BYTES = 64 << 10;
    private static final int LINE_BUFFER_KEEP_BYTES = 1 << 20;
    private static final int CORRUPT_WARNINGS = 20;
    private static final int OPEN_ATTEMPTS = 5;
    /** Listings per {@link #candidates()} call before giving up until the next poll. */
    private static final int LISTING_ATTEMPTS = 20;

    private final Path file;
    private final int maxLineBytes;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private byte[] line = new byte[8192];
    private int lineLength;
    private boolean lineOversize;

    private FileChannel channel;
    /** Path under which the open file was found, for messages only (it may since have been renamed). */
    private Path openedAs;
    /** The file being read (or to resume in); {@code null} = start with the oldest file there is. */
    private FileIdentity identity;
    private long offset;
    /** The open file starts with '[' and has not yet been read past the array's end. */
    private boolean legacy;
    private long legacySizeParsed = -1;
    private long corruptLines;

    /**
     * A reader that starts at the beginning of the retained history: the oldest rotated file
     * ({@code file.N}), then the newer ones, then {@code file} itself.
     */
    public MetricsReader(Path file) {
        this(file, MetricsPosition.start());
    }

    /** A reader that resumes at {@code start} (as returned by {@link #position()} of an earlier reader). */
    public MetricsReader(Path file, MetricsPosition start) {
        this(file, start, DEFAULT_MAX_LINE_BYTES);
    }

    /** As {@link #MetricsReader(Path, MetricsPosition)} with a different line limit (tests use small ones). */
    public MetricsReader(Path file, MetricsPosition start, int maxLineBytes) {
        this.file = Objects.requireNonNull(file, "file");
        Objects.requireNonNull(start, "start");
        if (maxLineBytes < 2) {
            throw new IllegalArgumentException("maxLineBytes must be >= 2, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.identity = start.fileKey() == null ? null : FileIdentity.parse(start.fileKey());
        this.offset = start.offset();
    }

    /** The path being followed. */
    public Path file() {
        return file;
    }

    /**
     * Passes every complete snapshot written since the last poll to {@code consumer}, in file order,
     * and returns how many. A missing file yields 0. If {@code consumer} throws, the exception
     * propagates and that snapshot is delivered again by the next poll.
     *
     * @throws IOException naming the file when it exists but cannot be read
     */
    public synchronized int poll(Consumer<Snapshot> consumer) throws IOException {
        Objects.requireNonNull(consumer, "consumer");
        try {
            return pollFiles(consumer);
        } catch (NamedFileException e) {
            throw e;
        } catch (IOException e) {
            throw new NamedFileException("cannot read metrics file " + (openedAs != null ? openedAs : file) + ": " + e, e);
        }
    }

    private int pollFiles(Consumer<Snapshot> consumer) throws IOException {
        int delivered = 0;
        // Bounded so that a pathological rename storm cannot keep one poll busy forever.
        for (int hop = 0; hop < 1000; hop++) {
            if (channel == null && !openStart()) {
                return delivered;
            }
            // We hold the file open, so its inode cannot be reused: comparing inode keys is exact.
            if (identity.inode().equals(RotatedFiles.fileKey(file))) {
                if (channel.size() < offset) {
                    LOG.warn("metrics file {} shrank below the read offset {}; reading it again from the start",
                            file, offset);
                    rewind();
                }
                delivered += read(consumer, false);
                refreshIdentity();
                return delivered;
            }
            // The writer has moved on (rotation or replacement): this file can no longer grow.
            delivered += read(consumer, true);
            if (!openNewer()) {
                return delivered;
            }
        }
        return delivered;
    }

    /** Where the next poll continues; persist it to resume in a later process. */
    public synchronized MetricsPosition position() {
        return new MetricsPosition(identity == null ? null : identity.toString(), offset);
    }

    /** How many corrupt, non-object or over-long lines (and damaged legacy arrays) were skipped so far. */
    public synchronized long corruptLines() {
        return corruptLines;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }

    // ---- choosing and opening files ------------------------------------------------------------

    /** A file that exists now: {@code index} 0 is the path itself, n is {@code file.n}. */
    private record Candidate(int index, Path path, String inode) {
    }

    /**
     * The path and its rotated siblings that exist, newest first, as they all were at one instant;
     * {@code null} if the writer kept renaming them for the whole of {@link #LISTING_ATTEMPTS}
     * listings (the caller then stays where it is and the next poll tries again).
     *
     * <p>One listing is not such a picture. It reads the directory and then stats each name, while
     * a rotation renames {@code file.N} → {@code file.N+1} … {@code file} → {@code file.1} one step
     * at a time: a name read during the cascade's transient gap (its file already moved up, the
     * next one not yet in) is not statted although a file moves into it before the stats, and a
     * directory read that overlaps renames may leave out names entirely. Either way the list can
     * lack the file being read or its successor, and the reader would then skip a file or start
     * again from the oldest one. So the listing is repeated until two in a row agree, which makes it
     * a picture of one instant: a file only ever moves to a higher number, so a name never holds the
     * same file twice, and a name that shows the same file in both listings held it throughout the
     * time between them. A rename in that time would have changed what a listed name holds, unless
     * it moved a file that both directory reads left out, which needs renames overlapping both.
     * {@link #openVerified} still checks each name again when it opens it.
     */
    private List<Candidate> candidates() throws IOException {
        List<Candidate> previous = listOnce();
        for (int attempt = 1; attempt < LISTING_ATTEMPTS; attempt++) {
            List<Candidate> current = listOnce();
            if (current.equals(previous)) {
                return current;
            }
            previous = current;
        }
        LOG.debug("metrics files {}.* kept being renamed while listed; trying again at the next poll", file);
        return null;
    }

    /** One listing: the path, then the rotated names found in the directory, each statted in turn. */
    private List<Candidate> listOnce() throws IOException {
        List<Candidate> result = new ArrayList<>();
        String inode = RotatedFiles.fileKey(file);
        if (inode != null) {
            result.add(new Candidate(0, file, inode));
        }
        for (int index : RotatedFiles.indices(file)) {
            Path rotated = RotatedFiles.rotated(file, index);
            String rotatedInode = RotatedFiles.fileKey(rotated);
            if (rotatedInode != null) {
                result.add(new Candidate(index, rotated, rotatedInode));
            }
        }
        return result;
    }

    /**
     * With no file open: opens the file the position names (found by identity under the path or a
     * rotated name), else the oldest file there is, from its start.
     */
    private boolean openStart() throws IOException {
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
            List<Candidate> candidates = candidates();
            if (candidates == null || candidates.isEmpty()) {
                return false;
            }
            if (identity != null) {
                boolean renamedMeanwhile = false;
                for (Candidate candidate : candidates) {
                    if (!candidate.inode().equals(identity.inode())) {
                        continue;
                    }
                    FileChannel opened = openVerified(candidate);
                    if (opened == null) {
                        renamedMeanwhile = true;
                        break;
                    }
                    if (!identity.matches(candidate.inode(), opened)) {
                        opened.close(); // same inode number, different content: ours was deleted
                        continue;
                    }
                    long start = offset;
                    if (opened.size() < start) {
                        LOG.warn("metrics file {} is shorter ({} bytes) than the saved offset {}; reading it from the start",
                                candidate.path(), opened.size(), start);
                        start = 0;
                    }
                    use(opened, candidate, start);
                    return true;
                }
                if (renamedMeanwhile) {
                    continue;
                }
                // The file we were reading is gone (rotated past the kept count, or deleted): every
                // remaining file is newer, so the oldest is the first one not yet read.
                LOG.warn("metrics file {} ({}) no longer exists; continuing with {} from its start",
                        openedAs != null ? openedAs : file, identity, candidates.get(candidates.size() - 1).path());
                identity = null;
                offset = 0;
            }
            Candidate oldest = candidates.get(candidates.size() - 1);
            FileChannel opened = openVerified(oldest);
            if (opened != null) {
                use(opened, oldest, 0);
                return true;
            }
        }
        return false;
    }

    /**
     * After reading the open (rotated-away) file to its end, switches to the next newer file at byte 0.
     * The old file stays open during the search, so no new file can have taken its inode number.
     */
    private boolean openNewer() throws IOException {
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
            List<Candidate> candidates = candidates();
            if (candidates == null) {
                // The names kept changing: stay at the end of the old file; the next poll goes on.
                return false;
            }
            int at = -1;
            for (int i = 0; i < candidates.size(); i++) {
                if (candidates.get(i).inode().equals(identity.inode())) {
                    at = i;
                }
            }
            if (at == 0) {
                // At the path again (renamed back): keep reading it where we stopped. Else it is the
                // newest file there is: the writer renamed it but has not created the new one yet;
                // stay at its end, the next poll continues from here.
                return candidates.get(0).index() == 0;
            }
            // Not found: deleted by rotation (nothing kept), so everything left is newer.
            Candidate next = at > 0 ? candidates.get(at - 1)
                    : candidates.isEmpty() ? null : candidates.get(candidates.size() - 1);
            if (next == null) {
                // Nothing there (the writer deleted the file and has not created the new one yet):
                // stay at the end of the old one; the next poll continues from here.
                return false;
            }
            FileChannel opened = openVerified(next);
            if (opened != null) {
                closeChannel();
                use(opened, next, 0);
                return true;
            }
        }
        return false;
    }

    /** Opens {@code candidate}, or returns null if it is gone or the name now holds another file. */
    private FileChannel openVerified(Candidate candidate) throws IOException {
        FileChannel opened;
        try {
            opened = FileChannel.open(candidate.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new NamedFileException("cannot open metrics file " + candidate.path() + ": " + e, e);
        }
        // Same key before and after the open: the channel is that file even if a rotation ran.
        if (!candidate.inode().equals(RotatedFiles.fileKey(candidate.path()))) {
            opened.close();
            return null;
        }
        return opened;
    }

    private void use(FileChannel opened, Candidate candidate, long start) throws IOException {
        channel = opened;
        openedAs = candidate.path();
        offset = start;
        identity = FileIdentity.of(candidate.inode(), opened);
        legacy = startsWithArray();
        legacySizeParsed = -1;
    }

    /** The open file was truncated in place: read it again from the start. */
    private void rewind() throws IOException {
        offset = 0;
        identity = FileIdentity.of(identity.inode(), channel);
        legacy = startsWithArray();
        legacySizeParsed = -1;
    }

    /** Extends the identity checksum while the file is still shorter than its prefix length. */
    private void refreshIdentity() throws IOException {
        if (channel != null && identity.canGrow(channel.size())) {
            identity = FileIdentity.of(identity.inode(), channel);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", openedAs, e);
            }
        }
        channel = null;
        legacy = false;
        legacySizeParsed = -1;
    }

    /** True when the first non-blank byte (after an optional UTF-8 BOM) is '['. */
    private boolean startsWithArray() throws IOException {
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
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b == '[';
                }
            }
            position += n;
        }
    }

    // ---- JSON Lines ----------------------------------------------------------------------------

    /**
     * Reads complete lines from {@code offset} to the current end. With {@code fileFinal} (the file can
     * no longer grow) an unterminated last line is handled as a line too.
     */
    private int read(Consumer<Snapshot> consumer, boolean fileFinal) throws IOException {
        int delivered = 0;
        if (legacy) {
            delivered += readLegacy(consumer, fileFinal);
            if (legacy) {
                return delivered;
            }
        }
        long readPosition = offset;
        lineLength = 0;
        lineOversize = false;
        while (true) {
            readBuffer.clear();
            int n = channel.read(readBuffer, readPosition);
            if (n <= 0) {
                break;
            }
            byte[] a = readBuffer.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    appendToLine(a, start, i - start);
                    long end = readPosition + i + 1;
                    if (handleLine(consumer, end)) {
                        delivered++;
                    }
                    start = i + 1;
                }
            }
            appendToLine(a, start, n - start);
            readPosition += n;
        }
        if (fileFinal && (lineLength > 0 || lineOversize)) {
            if (handleLine(consumer, readPosition)) {
                delivered++;
            }
        }
        lineLength = 0;
        lineOversize = false;
        if (line.length > LINE_BUFFER_KEEP_BYTES) {
            line = new byte[8192];
        }
        return delivered;
    }

    private void appendToLine(byte[] source, int from, int length) {
        if (length == 0 || lineOversize) {
            return;
        }
        if ((long) lineLength + length > maxLineBytes) {
            // Too long to be a snapshot: drop what we hold and skip to the line's end.
            lineOversize = true;
            lineLength = 0;
            return;
        }
        if (lineLength + length > line.length) {
            long grown = Math.max((long) line.length * 2, (long) lineLength + length);
            line = java.util.Arrays.copyOf(line, (int) Math.min(grown, maxLineBytes));
        }
        System.arraycopy(source, from, line, lineLength, length);
        lineLength += length;
    }

    /**
     * Parses the held line (which ends just before {@code end}) and passes it on. The offset moves
     * to {@code end} only after the consumer returned, so a throwing consumer sees the line again.
     */
    private boolean handleLine(Consumer<Snapshot> consumer, long end) {
        long lineStart = offset;
        boolean oversize = lineOversize;
        int length = lineLength;
        lineLength = 0;
        lineOversize = false;
        Snapshot snapshot = oversize
                ? corrupt(lineStart, "line longer than " + maxLineBytes + " bytes")
                : parseLine(lineStart, length);
        if (snapshot != null) {
            consumer.accept(snapshot);
        }
        offset = end;
        return snapshot != null;
    }

    /** The snapshot on the held line, or {@code null} for a blank line or a corrupt one (counted). */
    private Snapshot parseLine(long lineStart, int length) {
        if (isBlank(line, length)) {
            return null;
        }
        try (JsonParser parser = Json.mapper().createParser(line, 0, length)) {
            JsonNode node = Json.mapper().readTree(parser);
            if (node == null || !node.isObject()) {
                return corrupt(lineStart, "not a JSON object but " + describe(node));
            }
            if (parser.nextToken() != null) {
                return corrupt(lineStart, "data after the JSON object");
            }
            return Snapshot.fromJson(node);
        } catch (JacksonException e) {
            return corrupt(lineStart, e.getOriginalMessage());
        } catch (IOException | IllegalArgumentException e) {
            return corrupt(lineStart, e.getMessage());
        }
    }

    private static String describe(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isBlank(byte[] a, int length) {
        for (int i = 0; i < length; i++) {
            byte b = a[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Counts and logs a skipped line; returns {@code null} so callers can return it as "no snapshot". */
    private Snapshot corrupt(long at, String reason) {
        corruptLines++;
        if (corruptLines <= CORRUPT_WARNINGS) {
            LOG.warn("skipping corrupt line in metrics file {} at byte {}: {}{}", openedAs, at, reason,
                    corruptLines == CORRUPT_WARNINGS ? " (further corrupt lines are logged at debug level)" : "");
        } else {
            LOG.debug("skipping corrupt line in metrics file {} at byte {}: {}", openedAs, at, reason);
        }
        return null;
    }

    // ---- the original's single JSON array ------------------------------------------------------

    /**
     * Streams the array's elements with Jackson, skipping those that end at or before the offset
     * (delivered earlier). The offset is the end of the last delivered element; once the array is
     * closed, whatever follows (lines appended by a newer monitor) is read as JSON Lines.
     */
    private int readLegacy(Consumer<Snapshot> consumer, boolean fileFinal) throws IOException {
        long size = channel.size();
        if (!fileFinal && size == legacySizeParsed) {
            return 0;
        }
        int delivered = 0;
        long consumedUpTo = offset;
        JsonParser parser = Json.mapper().createParser(new ChannelInputStream(channel));
        try (parser) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                legacy = false;
                return 0;
            }
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw new JsonEOFException(parser, null, "end of file inside the array");
                }
                if (token == JsonToken.END_ARRAY) {
                    legacy = false;
                    offset = Math.max(offset, parser.currentLocation().getByteOffset());
                    return delivered;
                }
                long elementStart = parser.currentTokenLocation().getByteOffset();
                if (elementStart < consumedUpTo) {
                    parser.skipChildren();
                    continue;
                }
                JsonNode node = Json.mapper().readTree(parser);
                long elementEnd = parser.currentLocation().getByteOffset();
                if (node == null || !node.isObject()) {
                    corrupt(elementStart, "legacy array element is not a JSON object but " + describe(node));
                } else {
                    consumer.accept(Snapshot.fromJson(node));
                    delivered++;
                }
                offset = elementEnd;
            }
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            long damageAt = location != null && location.getByteOffset() >= 0
                    ? location.getByteOffset() : parser.currentLocation().getByteOffset();
            // Jackson reports some ends of input as plain parse errors; the location tells.
            if (e instanceof JsonEOFException || damageAt >= size) {
                if (!fileFinal) {
                    // Truncated: maybe still being written. Keep what we delivered; look again when it grows.
                    legacySizeParsed = size;
                    return delivered;
                }
                corrupt(offset, "legacy JSON array ends early: " + e.getOriginalMessage());
                legacy = false;
                offset = size;
                return delivered;
            }
            // Damage inside the array (e.g. a truncated array followed by appended lines): go on
            // as JSON Lines from the start of the damaged line, which the line reader counts as corrupt.
            LOG.warn("metrics file {}: JSON array damaged near byte {} ({}); reading on as JSON Lines",
                    openedAs, damageAt, e.getOriginalMessage());
            legacy = false;
            offset = Math.max(offset, lineStartBefore(Math.min(Math.max(damageAt, 0), size)));
            return delivered;
        }
    }

    /** The start of the line holding byte {@code at}, searching forward from the offset. */
    private long lineStartBefore(long at) throws IOException {
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

    /** An I/O error whose message already names the file. */
    private static final class NamedFileException extends IOException {
        NamedFileException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Positional reads from byte 0, so the shared channel's position does not matter. */
    private static final class ChannelInputStream extends InputStream {
        private final FileChannel source;
        private long position;

        ChannelInputStream(FileChannel source) {
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = source.read(ByteBuffer.wrap(b, off, len), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the reader owns the channel
        }
    }
}
