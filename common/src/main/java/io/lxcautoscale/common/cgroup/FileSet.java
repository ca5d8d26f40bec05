package io.lxcautoscale.common.cgroup;

import io.lxcautoscale.common.read.HeldFile;
import io.lxcautoscale.common.read.OpenFileBudget;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.File;
import java.io.IOException;

/**
 * The files of one container's cgroup, with their paths built once, and which of them the kernel does
 * not provide (e.g. {@code memory.swap.*} without swap accounting): those are skipped for a while instead
 * of failing an open() every cycle, then tried again.
 *
 * <p>By default every read opens, reads and closes its file (one-shot readers such as the API's). After
 * {@link #keepOpen} the files stay open and each read is one positional read at offset 0 ({@link HeldFile});
 * {@link #close} releases them.
 */
public final class FileSet implements AutoCloseable {
    /** Cycles a missing file is skipped before it is tried again (about 5 minutes at the default interval). */
    static final int RETRY_MISSING_AFTER_CYCLES = 30;

    private final String[] paths;
    private final File[] files;
    private final String directory;
    private long missing;
    private int cyclesUntilRetry;
    /** Set during a cycle when a read suggested the cgroup might have gone away. */
    private boolean suspectVanished;
    /** The files kept open, or null when each read opens its file. */
    private HeldFile[] held;

    FileSet(String directory, String[] paths) {
        this.directory = directory;
        this.paths = paths;
        this.files = new File[paths.length];
        for (int i = 0; i < paths.length; i++) {
            files[i] = new File(paths[i]);
        }
    }

    /**
     * Keeps the files open between cycles, for cgroupfs only: there a removed cgroup fails every read on its open
     * files (ENODEV) and the file is then opened anew. On an ordinary file system an open file would keep reading
     * the old content after the file was replaced (e.g. written to a temporary file and renamed over).
     */
    public void keepOpen(OpenFileBudget budget) {
        if (held == null) {
            held = new HeldFile[files.length];
            for (int i = 0; i < files.length; i++) {
                held[i] = new HeldFile(files[i], budget);
            }
        }
    }

    /** Called once per cycle before the reads. */
    void startCycle() {
        suspectVanished = false;
        if (missing != 0 && --cyclesUntilRetry <= 0) {
            missing = 0;
        }
    }

    /**
     * Reads file {@code index} into {@code reader}: the byte count, or -1 when it is missing, skipped or
     * failed (a failure is reported unless the whole cgroup turns out to be gone).
     */
    int read(int index, SmallFileReader reader, FileProblems problems) {
        if ((missing & (1L << index)) != 0) {
            return -1;
        }
        try {
            int n = held != null ? held[index].read(reader) : reader.read(files[index]);
            if (n == SmallFileReader.MISSING) {
                suspectVanished = true;
                if (missing == 0) {
                    cyclesUntilRetry = RETRY_MISSING_AFTER_CYCLES;
                }
                missing |= 1L << index;
            }
            return n;
        } catch (IOException e) {
            suspectVanished = true;
            if (new File(directory).isDirectory()) {
                problems.unreadable(paths[index], e);
            }
            return -1;
        }
    }

    /** True when a file was missing or failed this cycle and the cgroup directory no longer exists. */
    boolean vanished() {
        return suspectVanished && !new File(directory).isDirectory();
    }

    String path(int index) {
        return paths[index];
    }

    /** Number of files currently held open. */
    public int openCount() {
        int open = 0;
        if (held != null) {
            for (HeldFile h : held) {
                open += h.isOpen() ? 1 : 0;
            }
        }
        return open;
    }

    /** Closes the files kept open (if any); a later read opens them again. */
    @Override
    public void close() {
        if (held != null) {
            for (HeldFile h : held) {
                h.close();
            }
        }
    }

    /** The cgroup directory whose existence means the container runs. */
    public String directory() {
        return directory;
    }
}
