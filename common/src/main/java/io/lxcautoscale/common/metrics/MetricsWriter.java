package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Appends snapshots to the metrics file as JSON Lines, one {@code write()} per line, rotating by
 * size ({@code file} → {@code file.1} → … → {@code file.N}) and deleting rotated files past a
 * count or an age. Never reads or rewrites existing content, so an append costs the same whatever
 * the file's size, and a crash at any instant leaves at most one torn last line.
 *
 * <p>Errors (missing directory, disk full, read-only file) surface as {@link IOException} from
 * {@link #append}; the writer then closes its channel and reopens it on the next append, so it
 * recovers once the condition is gone. Thread-safe.
 */
public final class MetricsWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);
    private static final long AGE_CHECK_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    private static final byte[] NEWLINE = {'\n'};

    private final Path file;
    private final long maxFileBytes;
    private final int rotatedFilesKept;
    private final Duration maxAge;

    private FileChannel channel;
    /** The inode key of the open file, to notice when the path no longer names it. */
    private String channelKey;
    /** True when the open file does not end with '\n' (a torn line from a crash or a failed write). */
    private boolean needsNewline;
    private long lastAgeCheckNanos;
    private boolean ageCheckedOnce;
    private boolean closed;

    /**
     * @param file             the metrics file; its directory must exist (it is not created)
     * @param maxFileBytes     rotate before a line would take the file past this size, &gt; 0
     * @param rotatedFilesKept how many rotated files to keep, ≥ 0 (0: the full file is deleted)
     * @param maxAge           delete rotated files whose newest line is older than this; {@code null}
     *                         or zero = no age limit
     */
    public MetricsWriter(Path file, long maxFileBytes, int rotatedFilesKept, Duration maxAge) {
        this.file = Objects.requireNonNull(file, "file");
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("maxFileBytes must be > 0, got " + maxFileBytes);
        }
        if (rotatedFilesKept < 0) {
            throw new IllegalArgumentException("rotatedFilesKept must be >= 0, got " + rotatedFilesKept);
        }
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be >= 0, got " + maxAge);
        }
        this.maxFileBytes = maxFileBytes;
        this.rotatedFilesKept = rotatedFilesKept;
        this.maxAge = maxAge == null || maxAge.isZero() ? null : maxAge;
    }

    /** The file being appended to. */
    public Path file() {
        return file;
    }

    /** Appends {@code snapshot} as one compact JSON line ending in {@code '\n'}. */
    public void append(Snapshot snapshot) throws IOException {
        append(snapshot.toJson());
    }

    /**
     * Appends {@code snapshot} as one compact JSON line ending in {@code '\n'}, rotating first if the
     * line would take the file past {@code maxFileBytes}.
     *
     * @throws IOException naming the file when it cannot be opened, rotated or written; the next call
     *                     retries from scratch
     */
    public synchronized void append(ObjectNode snapshot) throws IOException {
        Objects.requireNonNull(snapshot, "snapshot");
        // Serialise before touching the file: a serialisation failure must not leave a torn line.
        byte[] json = Json.mapper().writeValueAsBytes(snapshot);
        append(json, json.length);
    }

    /**
     * Appends {@code json[0 .. length)}, one snapshot already serialised as compact JSON (one object, no
     * {@code '\n'} inside; the caller vouches for it), followed by {@code '\n'}, rotating as {@link #append(ObjectNode)}
     * does. The array is not kept.
     */
    public synchronized void append(byte[] json, int length) throws IOException {
        Objects.checkFromIndexSize(0, length, json.length);
        if (closed) {
            throw new IOException("metrics writer for " + file + " is closed");
        }
        try {
            ensureOpen();
            long size = channel.size();
            int prefix = needsNewline ? 1 : 0;
            if (size > 0 && size + prefix + length + 1 > maxFileBytes) {
                rotate();
                ensureOpen();
                prefix = needsNewline ? 1 : 0;
            } else {
                deleteAgedIfDue(false);
            }
            // Isolate the torn line left by a crash (prefix '\n') so it stays one corrupt line, not two.
            ByteBuffer[] line = {ByteBuffer.wrap(NEWLINE, 0, prefix), ByteBuffer.wrap(json, 0, length), ByteBuffer.wrap(NEWLINE)};
            // One (gathering) write() call for the whole line; a regular file takes it whole unless the disk
            // fills, in which case the next write throws and the torn rest is isolated on reopen.
            long remaining = prefix + length + 1L;
            while (remaining > 0) {
                remaining -= channel.write(line);
            }
            needsNewline = false;
        } catch (IOException | RuntimeException e) {
            closeChannelQuietly();
            if (e instanceof IOException io) {
                throw new IOException("cannot append to metrics file " + file + ": " + describe(io), io);
            }
            throw e;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void ensureOpen() throws IOException {
        if (channel != null && !channelKey.equals(RotatedFiles.fileKey(file))) {
            // Deleted or moved away by someone else (an admin, an external logrotate): writing on
            // would put every line into a file nobody reads. One stat per append is O(1).
            LOG.warn("metrics file {} was deleted or replaced by someone else; opening it afresh", file);
            closeChannelQuietly();
        }
        if (channel != null) {
            return;
        }
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            needsNewline = endsWithoutNewline();
            channelKey = RotatedFiles.fileKey(file);
            if (channelKey == null) {
                throw new java.nio.file.NoSuchFileException(file.toString(), null, "deleted while being opened");
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        channel = opened;
    }

    /** Reads only the last byte (O(1)): a non-empty file not ending in '\n' has a torn last line. */
    private boolean endsWithoutNewline() throws IOException {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = reader.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            while (last.hasRemaining()) {
                if (reader.read(last, size - 1) < 0) {
                    return false;
                }
            }
            return last.get(0) != '\n';
        }
    }

    /**
     * Shifts {@code file.i} → {@code file.i+1} from the oldest down, then {@code file} → {@code file.1}.
     * Each step is one rename, so a crash mid-rotation leaves every line in some file (maybe with
     * a gap in the numbering, which readers and the next rotation tolerate).
     */
    private void rotate() throws IOException {
        closeChannelQuietly();
        List<Integer> indices = RotatedFiles.indices(file);
        for (int i = indices.size() - 1; i >= 0; i--) {
            int index = indices.get(i);
            Path from = RotatedFiles.rotated(file, index);
            if (index >= rotatedFilesKept) {
                Files.deleteIfExists(from);
            } else {
                Files.move(from, RotatedFiles.rotated(file, index + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (rotatedFilesKept == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.move(file, RotatedFiles.rotated(file, 1), StandardCopyOption.ATOMIC_MOVE);
        }
        LOG.debug("rotated metrics file {}", file);
        deleteAgedIfDue(true);
    }

    /**
     * Deletes rotated files whose last write is older than maxAge; at rotation, else once a minute.
     * A failure here is logged, not thrown: the line itself can still be written.
     */
    private void deleteAgedIfDue(boolean force) {
        if (maxAge == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && ageCheckedOnce && now - lastAgeCheckNanos < AGE_CHECK_INTERVAL_NANOS) {
            return;
        }
        ageCheckedOnce = true;
        lastAgeCheckNanos = now;
        Instant cutoff = Instant.now().minus(maxAge);
        List<Integer> indices;
        try {
            indices = RotatedFiles.indices(file);
        } catch (IOException e) {
            LOG.warn("cannot list rotated metrics files of {}: {}", file, e.toString());
            return;
        }
        for (int index : indices) {
            Path rotated = RotatedFiles.rotated(file, index);
            try {
                // A rotated file is never written again, so its mtime is the time of its newest line.
                if (Files.getLastModifiedTime(rotated).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(rotated);
                    LOG.info("deleted metrics file {}: newest line older than {}", rotated, maxAge);
                }
            } catch (NoSuchFileException e) {
                // deleted by someone else meanwhile: nothing to do
            } catch (IOException e) {
                LOG.warn("cannot delete aged metrics file {}: {}", rotated, e.toString());
            }
        }
    }

    private void closeChannelQuietly() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", file, e);
        }
        channel = null;
    }

    /** Closes the file; later appends fail. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }
}
