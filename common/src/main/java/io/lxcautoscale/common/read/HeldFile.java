package io.lxcautoscale.common.read;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.StandardOpenOption;

/**
 * One small kernel file kept open between reads: each read is one positional read at offset 0 into the
 * reader's buffer (cgroup, proc and sysfs files generate their content afresh on a read at offset 0, so the
 * figures are as current as after a new open). Saves the open and close of every cycle.
 *
 * <p>A read that fails on the open descriptor (ENODEV: the cgroup was removed, perhaps recreated under the same
 * name by a restarted container; or any other error) closes it and opens the path once more, so a recreated file
 * is read at once. When the {@link OpenFileBudget} has no descriptor left, the file is opened, read and closed on
 * every read instead (and kept open again once the budget allows). Not thread-safe.
 */
public final class HeldFile implements AutoCloseable {
    private final File file;
    private final OpenFileBudget budget;
    private FileChannel channel;
    private int opens;

    public HeldFile(File file, OpenFileBudget budget) {
        this.file = file;
        this.budget = budget;
    }

    /**
     * Reads the whole file into {@code reader}.
     *
     * @return the byte count, or {@link SmallFileReader#MISSING} when the file (or its directory) does not exist
     * @throws IOException any other failure, after one reopen was tried
     */
    public int read(SmallFileReader reader) throws IOException {
        if (channel != null) {
            try {
                return reader.readFrom(channel);
            } catch (IOException e) {
                // ENODEV after rmdir of the cgroup, or a channel closed under us: try the path afresh below.
                close();
            }
        }
        if (!budget.tryHold(this)) {
            return reader.read(file);
        }
        try {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
            opens++;
        } catch (NoSuchFileException | NotDirectoryException e) {
            budget.released(this);
            return SmallFileReader.MISSING;
        } catch (FileSystemException e) {
            budget.released(this);
            if (!OpenFileBudget.isOutOfDescriptors(e.getReason())) {
                throw e;
            }
            budget.outOfDescriptors(file.getPath(), e.getReason());
            return reader.read(file);
        } catch (IOException | RuntimeException e) {
            budget.released(this);
            throw e;
        }
        try {
            return reader.readFrom(channel);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** True while a descriptor is held. */
    public boolean isOpen() {
        return channel != null;
    }

    /** How many times the file was opened and kept open so far. */
    public int opens() {
        return opens;
    }

    public File file() {
        return file;
    }

    /** Releases the descriptor; the next read opens the file again. */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a read-only descriptor cannot lose data.
            }
            channel = null;
            budget.released(this);
        }
    }
}
