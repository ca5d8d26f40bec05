package io.lxcautoscale.common.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which file to read and from where: follows a metrics file by identity through rotation
 * ({@code file} → {@code file.1} → …), replacement and truncation in place, and keeps the offset.
 * The bytes themselves are read by a {@link FileContent}.
 *
 * <p>When the file at the path is no longer the one being read (rotated, replaced) the old file is
 * read to its end first — found by its file key under {@code file.1}, {@code file.2}, … — then the
 * next newer file from byte 0. A file that shrank below the offset is read again from 0.
 */
final class RotationFollower implements Closeable {
    /** Reads an open file's bytes from the follower's offset, moving it with {@link #advanceTo}. */
    interface FileContent {
        /** A file was opened, or the open one truncated: it is read from {@code offset} on. */
        void opened(FileChannel channel, long offset) throws IOException;

        /**
         * Reads from the offset to the current end; returns the snapshots delivered. With
         * {@code fileFinal} the file can no longer grow (it was rotated away or replaced).
         */
        int read(FileChannel channel, boolean fileFinal) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsReader.class);
    private static final int OPEN_ATTEMPTS = 5;
    /** Listings per {@link #candidates()} call before giving up until the next poll. */
    private static final int LISTING_ATTEMPTS = 20;

    private final Path file;
    private FileChannel channel;
    /** Path under which the open file was found, for messages only (it may since have been renamed). */
    private Path openedAs;
    /** The file being read (or to resume in); {@code null} = start with the oldest file there is. */
    private FileIdentity identity;
    private long offset;

    RotationFollower(Path file, MetricsPosition start) {
        this.file = Objects.requireNonNull(file, "file");
        Objects.requireNonNull(start, "start");
        this.identity = start.fileKey() == null ? null : FileIdentity.parse(start.fileKey());
        this.offset = start.offset();
    }

    Path file() {
        return file;
    }

    /** The path the open file was found under (the path itself before any file was opened). */
    Path openedAs() {
        return openedAs != null ? openedAs : file;
    }

    long offset() {
        return offset;
    }

    /** The content reader consumed the bytes before {@code position}. */
    void advanceTo(long position) {
        offset = position;
    }

    MetricsPosition position() {
        return new MetricsPosition(identity == null ? null : identity.toString(), offset);
    }

    /**
     * Reads what was written since the last poll, across rotations, through {@code content}; returns
     * the snapshots delivered. A missing file yields 0.
     *
     * @throws IOException naming the file when it exists but cannot be read
     */
    int poll(FileContent content) throws IOException {
        try {
            return pollFiles(content);
        } catch (NamedFileException e) {
            throw e;
        } catch (IOException e) {
            throw new NamedFileException("cannot read metrics file " + openedAs() + ": " + e, e);
        }
    }

    private int pollFiles(FileContent content) throws IOException {
        int delivered = 0;
        // Bounded so that a pathological rename storm cannot keep one poll busy forever.
        for (int hop = 0; hop < 1000; hop++) {
            if (channel == null && !openStart(content)) {
                return delivered;
            }
            // We hold the file open, so its inode cannot be reused: comparing inode keys is exact.
            if (identity.inode().equals(RotatedFiles.fileKey(file))) {
                if (channel.size() < offset) {
                    LOG.warn("metrics file {} shrank below the read offset {}; reading it again from the start",
                            file, offset);
                    offset = 0;
                    identity = FileIdentity.of(identity.inode(), channel);
                    content.opened(channel, 0);
                }
                delivered += content.read(channel, false);
                refreshIdentity();
                return delivered;
            }
            // The writer has moved on (rotation or replacement): this file can no longer grow.
            delivered += content.read(channel, true);
            if (!openNewer(content)) {
                return delivered;
            }
        }
        return delivered;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }

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
    private boolean openStart(FileContent content) throws IOException {
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
                    use(opened, candidate, start, content);
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
                use(opened, oldest, 0, content);
                return true;
            }
        }
        return false;
    }

    /**
     * After reading the open (rotated-away) file to its end, switches to the next newer file at byte 0.
     * The old file stays open during the search, so no new file can have taken its inode number.
     */
    private boolean openNewer(FileContent content) throws IOException {
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
                use(opened, next, 0, content);
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

    private void use(FileChannel opened, Candidate candidate, long start, FileContent content) throws IOException {
        channel = opened;
        openedAs = candidate.path();
        offset = start;
        identity = FileIdentity.of(candidate.inode(), opened);
        content.opened(opened, start);
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
    }

    /** An I/O error whose message already names the file. */
    static final class NamedFileException extends IOException {
        NamedFileException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
