package io.lxcautoscale.common.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tails the metrics file written by {@link MetricsWriter}: streams complete snapshots with bounded
 * memory, skips and counts corrupt lines, resumes from a {@link MetricsPosition}, follows rotation
 * and also reads the original's single-JSON-array file. The work is split: {@link RotationFollower}
 * decides which file and offset, {@link LineFramer} cuts JSON Lines, {@link LegacyArrayReader} reads
 * the array, and a {@link SnapshotDecoder} turns each snapshot into a {@link Snapshot} tree or, with
 * {@link SampleRowDecoder}, straight into primitive rows.
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

    private final RotationFollower follower;
    private final CorruptLineCounter corrupt;
    private final LineFramer lines;
    private final LegacyArrayReader array;

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
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(start, "start");
        if (maxLineBytes < 2) {
            throw new IllegalArgumentException("maxLineBytes must be >= 2, got " + maxLineBytes);
        }
        this.follower = new RotationFollower(file, start);
        this.corrupt = new CorruptLineCounter(follower::openedAs);
        this.lines = new LineFramer(maxLineBytes, corrupt);
        this.array = new LegacyArrayReader(corrupt, follower::openedAs);
    }

    /** The path being followed. */
    public Path file() {
        return follower.file();
    }

    /**
     * Passes every complete snapshot written since the last poll to {@code consumer}, in file order,
     * and returns how many. A missing file yields 0. If {@code consumer} throws, the exception
     * propagates and that snapshot is delivered again by the next poll.
     *
     * @throws IOException naming the file when it exists but cannot be read
     */
    public synchronized int poll(Consumer<Snapshot> consumer) throws IOException {
        return poll(new SnapshotTreeDecoder(consumer));
    }

    /**
     * As {@link #poll(Consumer)}, each snapshot going through {@code decoder} (e.g. a
     * {@link SampleRowDecoder} that fills primitive rows without building a JSON tree).
     */
    public synchronized int poll(SnapshotDecoder decoder) throws IOException {
        Objects.requireNonNull(decoder, "decoder");
        return follower.poll(new RotationFollower.FileContent() {
            @Override
            public void opened(FileChannel channel, long offset) throws IOException {
                array.opened(channel);
            }

            @Override
            public int read(FileChannel channel, boolean fileFinal) throws IOException {
                int delivered = 0;
                if (array.active()) {
                    delivered += array.read(channel, follower.offset(), fileFinal, decoder, follower::advanceTo);
                    if (array.active()) {
                        return delivered;
                    }
                }
                return delivered + lines.read(channel, follower.offset(), fileFinal, decoder, follower::advanceTo);
            }
        });
    }

    /** Where the next poll continues; persist it to resume in a later process. */
    public synchronized MetricsPosition position() {
        return follower.position();
    }

    /** How many corrupt, non-object or over-long lines (and damaged legacy arrays) were skipped so far. */
    public synchronized long corruptLines() {
        return corrupt.count();
    }

    @Override
    public synchronized void close() throws IOException {
        array.closed();
        follower.close();
    }
}
